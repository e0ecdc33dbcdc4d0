package org.xenclip.host.connection;

import java.time.Duration;

/**
 * The timing and flood limits of a {@link VmConnection}; tests shorten them.
 *
 * @param backoffInitial first wait after a failed connect (protocol.md 1: reconnect with back-off)
 * @param backoffCap the longest wait between attempts ("capped back-off", issue 3)
 * @param heartbeatInterval how often an idle established session sends a peek (protocol.md rule 7)
 * @param agentTimeout no sign of the agent for this long makes it "not alive"
 * @param writeStall output of an established session that the VM does not read for this long (queued in dom0
 *     or waiting in the socket buffer) means the VM stopped reading
 * @param floodBytes more bytes than this from the VM within {@code floodWindow} is a flood
 * @param floodWindow the window for {@code floodBytes}
 * @param stableAfter a connection that lasted this long resets the back-off
 */
public record ConnectionTiming(
        Duration backoffInitial,
        Duration backoffCap,
        Duration heartbeatInterval,
        Duration agentTimeout,
        Duration writeStall,
        long floodBytes,
        Duration floodWindow,
        Duration stableAfter) {

    public static ConnectionTiming defaults() {
        return new ConnectionTiming(
                Duration.ofMillis(250),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5),
                Duration.ofSeconds(12),
                Duration.ofSeconds(10),
                // The real channel moves a few hundred KiB/s at best (2 KiB ring, event-channel round
                // trips, protocol.md 1); 16 MiB in 10 s is far beyond any honest agent.
                16L << 20,
                Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }
}
