package org.xenclip.desktop;

/** A desktop clipboard read or write that failed or timed out; the message says which and why. */
public final class ClipboardException extends Exception {
    private static final long serialVersionUID = 1L;

    public ClipboardException(String message) {
        super(message);
    }

    public ClipboardException(String message, Throwable cause) {
        super(message, cause);
    }
}
