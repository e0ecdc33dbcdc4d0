package org.xenclip.protocol;

/**
 * dom0's end of the channel: the RFB server. Sends its version on {@link #start}, answers a
 * client version at any point with the security types (profile rule 3) and offers the Extended
 * Clipboard when the client asks for it. {@link #sendHeartbeat} sends an extended peek (rule 7).
 */
public final class ServerSession implements Session {

    private final SessionConfig config;
    private boolean acceptIncoming = true;

    public ServerSession(SessionConfig config) {
        this.config = java.util.Objects.requireNonNull(config, "config");
    }

    public SessionConfig config() {
        return config;
    }

    @Override
    public SessionOutput start(long nowMillis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public SessionOutput onBytes(byte[] data, int offset, int length, long nowMillis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public SessionOutput onTick(long nowMillis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public SessionOutput sendText(ClipboardText text, long nowMillis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Sends an extended peek as a liveness probe; a live client answers with notify (rule 7). */
    public SessionOutput sendHeartbeat(long nowMillis) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void setAcceptIncoming(boolean accept) {
        this.acceptIncoming = accept;
    }

    @Override
    public long nextDeadlineMillis() {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean isEstablished() {
        return false;
    }

    @Override
    public boolean isExtendedClipboard() {
        return false;
    }
}
