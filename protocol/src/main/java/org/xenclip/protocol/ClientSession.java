package org.xenclip.protocol;

/**
 * The guest agent's end of the channel: the RFB client. Scans for a server version, speaks first after
 * {@link SessionConfig#speakFirstAfter()} of silence (profile rule 2), and asks for the Extended
 * Clipboard right after ServerInit.
 */
public final class ClientSession implements Session {

    private final SessionConfig config;
    private boolean acceptIncoming = true;

    public ClientSession(SessionConfig config) {
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
