package org.xenclip.desktop;

import java.util.Objects;

/**
 * Text read from the desktop clipboard, as the desktop had it (its own line ends), and whether the owner
 * marked it secret (a password manager's {@code x-kde-passwordManagerHint: secret}).
 */
public record ClipboardContent(String text, boolean secret) {

    public ClipboardContent {
        Objects.requireNonNull(text, "text");
    }

    /** For logs: never the content, only its length, a short hash and the secret flag. */
    @Override
    public String toString() {
        return "ClipboardContent[" + text.length() + " chars, hash " + Integer.toHexString(text.hashCode())
                + (secret ? ", secret" : "") + "]";
    }
}
