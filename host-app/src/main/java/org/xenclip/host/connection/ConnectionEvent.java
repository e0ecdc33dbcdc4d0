package org.xenclip.host.connection;

import java.util.Optional;
import org.xenclip.host.vm.VmState;
import org.xenclip.protocol.ClipboardText;

/** What a {@link VmConnection} reports, on its I/O thread. Never carries clipboard text except {@link Received}. */
public sealed interface ConnectionEvent {

    String vm();

    /** The connection moved to {@code state}; {@code reason} says why when it is waiting or in error. */
    record StateChanged(String vm, VmState state, Optional<String> reason) implements ConnectionEvent {}

    /** The handshake completed. */
    record Established(String vm, boolean extendedClipboard) implements ConnectionEvent {}

    /**
     * The agent's clipboard text, whole; {@code crossed} when it and dom0's text were on the wire at the same
     * time (the protocol's TextReceived#crossed).
     */
    record Received(String vm, ClipboardText text, boolean crossed) implements ConnectionEvent {}

    /** Text handed to the session for sending; {@code bytes} is its UTF-8 size. */
    record Sent(String vm, long bytes) implements ConnectionEvent {}

    /**
     * The agent asked for the text dom0 sent it, so it has seen it: a text it sends from now on was made after
     * (the protocol's PeerTookText, in wire order with {@link Received}).
     */
    record TookText(String vm) implements ConnectionEvent {}

    /**
     * The agent has read the text it took: it answered a peek dom0 sent right behind the text, and the channel
     * keeps order. Until then a drop or a reboot may have cut the text off in the channel.
     */
    record GotText(String vm) implements ConnectionEvent {}

    /** Whether the agent answered heartbeats recently (protocol.md rule 7). */
    record AgentAlive(String vm, boolean alive) implements ConnectionEvent {}

    /** Text over the limit was dropped, never delivered (protocol.md rule 4). */
    record Oversize(String vm, long size, long limit) implements ConnectionEvent {}
}
