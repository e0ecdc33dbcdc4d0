package org.xenclip.protocol;

/**
 * One end of a clipboard channel: {@link ServerSession} (dom0) or {@link ClientSession} (guest agent).
 *
 * <p>Contract for the owner, the connection's single I/O thread: call {@link #start} once when the
 * transport opens; feed every byte read to {@link #onBytes}; call {@link #onTick} no later than
 * {@link #nextDeadlineMillis}; write each returned {@link SessionOutput#toWrite()} in order. Times are
 * milliseconds from any monotonic clock the owner chooses (tests use a fake one).
 */
public sealed interface Session permits ServerSession, ClientSession {

    /** The transport opened (socket connected, device opened): begin as the role's rules say. */
    SessionOutput start(long nowMillis);

    /** Bytes arrived from the peer, split anywhere. */
    SessionOutput onBytes(byte[] data, int offset, int length, long nowMillis);

    /** Time passed: run timeouts (speak first, handshake restart, stalled message). */
    SessionOutput onTick(long nowMillis);

    /**
     * Sends the local clipboard text to the peer: notify, plus provide when it fits the peer's advertised
     * unsolicited size, once the extension is on; legacy cut text (Latin-1, {@code ?} for the rest) when it
     * stays off. Before the session is established, and while the extension may still come on (up to
     * {@value ClipboardExchange#NEGOTIATION_GRACE_MILLIS} ms after it is), the text is kept and sent once the
     * negotiation ends; a newer text replaces it.
     *
     * @throws IllegalArgumentException if the text exceeds {@link SessionConfig#maxPayloadBytes()}
     */
    SessionOutput sendText(ClipboardText text, long nowMillis);

    /**
     * Whether text from the peer is wanted. When false, an extended notify is not answered with a request
     * and received text is dropped without an event. Lets the owner keep a direction closed on the wire.
     */
    void setAcceptIncoming(boolean accept);

    /** The latest time at which {@link #onTick} must be called, or {@link Long#MAX_VALUE} for none. */
    long nextDeadlineMillis();

    /** Whether the handshake is complete and messages flow. */
    boolean isEstablished();

    /** Whether both sides have switched on the Extended Clipboard (Unicode text). */
    boolean isExtendedClipboard();
}
