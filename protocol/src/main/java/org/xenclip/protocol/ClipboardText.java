package org.xenclip.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Clipboard text as the program holds it: exactly what the Linux desktop had, whose line end is LF
 * (profile rule 5). A CR is content, not a line end, and is never dropped.
 *
 * <p>The extended wire writes line ends as CRLF (protocol.md section 4). {@link #toCrlfWire()} and
 * {@link #fromCrlfWire(String)} convert at that edge and are exact inverses for every string: the encoder
 * puts a CR before every LF, so every LF on the wire has its own CR right before it, and the decoder takes
 * exactly those pairs back out. A lone CR next to a line end ({@code "\r\r\n"} on the wire) survives the
 * round trip as {@code "\r\n"} inside. Normalising the desktop's text instead would lose user data.
 */
public record ClipboardText(String text) {

    public static final ClipboardText EMPTY = new ClipboardText("");

    public ClipboardText {
        Objects.requireNonNull(text, "text");
    }

    /** Text read from a Linux desktop clipboard: LF is already its line end, so nothing is converted. */
    public static ClipboardText of(String desktopText) {
        return new ClipboardText(desktopText);
    }

    /** Text from the extended wire, its terminating NUL already removed: each CRLF becomes LF. */
    public static ClipboardText fromCrlfWire(String wire) {
        Objects.requireNonNull(wire, "wire");
        return new ClipboardText(wire.indexOf('\r') < 0 ? wire : wire.replace("\r\n", "\n"));
    }

    /** This text for the extended wire, without its terminating NUL: each LF becomes CRLF. */
    public String toCrlfWire() {
        return text.replace("\n", "\r\n");
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
