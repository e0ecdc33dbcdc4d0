package org.xenclip.protocol;

/**
 * Malformed input from the peer. The message names the field, the value and the limit it broke, so that a
 * log line says what happened without showing clipboard content.
 */
final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean framingIntact;

    ProtocolException(String message) {
        this(message, false);
    }

    /**
     * @param framingIntact true when the bad message was consumed whole (its length was sound, only its
     *     content was not), so the stream can carry on without a new handshake
     */
    ProtocolException(String message, boolean framingIntact) {
        super(message);
        this.framingIntact = framingIntact;
    }

    boolean framingIntact() {
        return framingIntact;
    }
}
