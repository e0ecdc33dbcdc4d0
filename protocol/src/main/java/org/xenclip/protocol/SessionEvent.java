package org.xenclip.protocol;

/** What a session reports to its owner after being fed bytes or time. */
public sealed interface SessionEvent {

    /**
     * The handshake completed: reported with {@code false} when messages can flow, then once more with
     * {@code true} when the Extended Clipboard switches on (one round trip later; never with a legacy peer).
     * The session itself re-sends, in Unicode, text it had to send lossy as Latin-1 in between.
     */
    record Established(boolean extendedClipboard) implements SessionEvent {}

    /**
     * The peer has our latest text: it asked for it after our notify, or it went out whole without a request
     * (legacy cut text, or a provide within the peer's unsolicited limit). The server always waits for the
     * request, so on its side this means the peer has seen the text: a text the peer announced before this
     * event was made before the peer saw ours, and the two crossed on the wire. Which one wins is the owner's
     * policy (dom0 arbitrates).
     */
    record PeerTookText() implements SessionEvent {}

    /**
     * The peer's clipboard text arrived whole. Never partial.
     *
     * @param crossed the peer announced it while our latest text was on its way to the peer and not yet asked
     *     for, or we announced ours while this one was on its way to us: each side made its text before it saw
     *     the other's, so each would apply the other's (known on the extended wire only; legacy text is always
     *     {@code false})
     */
    record TextReceived(ClipboardText text, boolean crossed) implements SessionEvent {

        /** Text that crossed nothing. */
        public TextReceived(ClipboardText text) {
            this(text, false);
        }
    }

    /** The peer says its clipboard now holds no text (extended notify without the text format). */
    record PeerClipboardEmpty() implements SessionEvent {}

    /** The peer answered a heartbeat or otherwise showed it is alive (profile rule 7). */
    record PeerAlive() implements SessionEvent {}

    /**
     * The peer sent a version where a message was expected: it restarted (profile rule 3). The session is no
     * longer established; an {@link Established} follows when the new handshake completes.
     */
    record PeerRestarted() implements SessionEvent {}

    /** Bytes discarded while scanning for a version (profile rule 1); the count only, never the bytes. */
    record NoiseDiscarded(long byteCount) implements SessionEvent {}

    /** A payload over the configured limit was drained and dropped, never delivered (profile rule 4). */
    record OversizeDropped(long size, long limit) implements SessionEvent {}

    /**
     * A message stalled before completion and was discarded (profile rule 8); the session went back to
     * scanning for a version and is no longer established.
     */
    record StalledMessageDropped(long bytesReceived) implements SessionEvent {}

    /**
     * The peer broke the protocol. The session has already gone back to scanning for a version; the
     * owner may log the message (it names field, value and limit) and carries on.
     */
    record ProtocolError(String message) implements SessionEvent {}
}
