package org.xenclip.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Clipboard text as the program holds it: a Java string whose line ends are LF only (profile rule 5).
 * Each edge converts once: legacy wire LF, extended wire CRLF plus NUL, the desktop its own convention.
 */
public record ClipboardText(String text) {

    public static final ClipboardText EMPTY = new ClipboardText("");

    public ClipboardText {
        Objects.requireNonNull(text, "text");
        if (text.indexOf('\r') >= 0 && text.contains("\r\n")) {
            throw new IllegalArgumentException("clipboard text must use LF line ends; use ClipboardText.of");
        }
    }

    /** Normalises CRLF to LF; a lone CR is kept, since it is content, not a line end. */
    public static ClipboardText of(String raw) {
        Objects.requireNonNull(raw, "raw");
        return new ClipboardText(raw.indexOf('\r') < 0 ? raw : raw.replace("\r\n", "\n"));
    }

    /** Size in UTF-8 bytes, the unit every size limit of the project counts in. */
    public long utf8Size() {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** For logs: never the content, only its size and a short hash. */
    @Override
    public String toString() {
        return "ClipboardText[" + text.length() + " chars, hash " + Integer.toHexString(text.hashCode()) + "]";
    }
}
