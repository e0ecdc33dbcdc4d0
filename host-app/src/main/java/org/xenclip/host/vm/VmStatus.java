package org.xenclip.host.vm;

import java.time.Instant;
import java.util.Optional;

/**
 * An immutable snapshot of one VM as the UI shows it. A new snapshot replaces the old on every change.
 *
 * @param name the VM name (XenStore name or socket file stem)
 * @param socketPath the channel socket QEMU listens on
 * @param source where the VM was found: {@code "xenstore"}, {@code "socket-dir"} or {@code "config"}
 * @param state the connection state
 * @param mode the user's sync mode for this VM
 * @param agentAlive whether the guest agent answered recently (heartbeats)
 * @param lastSync when text last crossed this channel in either direction
 * @param bytesToGuest clipboard bytes sent to the VM since start
 * @param bytesFromGuest clipboard bytes received from the VM since start
 * @param lastError the last problem, in words a person can act on
 * @param pausedReason why incoming text from this VM is paused (rate limit), if it is
 */
public record VmStatus(
        String name,
        String socketPath,
        String source,
        VmState state,
        SyncMode mode,
        boolean agentAlive,
        Optional<Instant> lastSync,
        long bytesToGuest,
        long bytesFromGuest,
        Optional<String> lastError,
        Optional<String> pausedReason) {}
