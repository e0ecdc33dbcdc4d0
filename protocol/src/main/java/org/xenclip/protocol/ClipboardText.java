package org.xenclip.protocol;

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
 *
 * <p>Immutable. Its sizes are counted once, on first use: a text passes every size check, log line and counter
 * of both apps on its way, and for a megabyte of mixed-script text each count is a pass of several
 * milliseconds (docs/benchmarks/e2e.md).
 */
public final class ClipboardText {

    public static final ClipboardText EMPTY = new ClipboardText("");

    private final String text;
    /**
     * Counted on first use. Racy by design, like {@link String#hashCode}: a reference is written whole and the
     * record's fields are final, so a thread sees either null (and counts again, to the same values) or both
     * sizes.
     */
    private Sizes sizes;

    private record Sizes(long utf8, long lineFeeds) {}

    public ClipboardText(String text) {
        this.text = Objects.requireNonNull(text, "text");
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

    public String text() {
        return text;
    }

    /** This text for the extended wire, without its terminating NUL: each LF becomes CRLF. */
    public String toCrlfWire() {
        return text.replace("\n", "\r\n");
    }

    /** Size in UTF-8 bytes, the unit every size limit of the project counts in. */
    public long utf8Size() {
        return sizes().utf8();
    }

    /** Size in UTF-8 bytes of {@link #toCrlfWire()}, without building it: each LF gains a CR. */
    public long crlfWireUtf8Size() {
        Sizes s = sizes();
        return s.utf8() + s.lineFeeds();
    }

    private Sizes sizes() {
        Sizes s = sizes;
        if (s == null) {
            s = count(text);
            sizes = s;
        }
        return s;
    }

    /**
     * One pass for both sizes, without encoding: what {@code getBytes(UTF_8).length} gives, a lone surrogate
     * counting as the one byte of the '?' the encoder puts in its place.
     */
    private static Sizes count(String text) {
        long size = 0;
        long lf = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                size++;
                if (c == '\n') {
                    lf++;
                }
            } else if (c < 0x800) {
                size += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                size += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                size++; // unpaired: encoded as '?'
            } else {
                size += 3;
            }
        }
        return new Sizes(size, lf);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipboardText other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** For logs: never the content, only its size and a short hash. */
    @Override
    public String toString() {
        return "ClipboardText[" + text.length() + " chars, hash " + Integer.toHexString(text.hashCode()) + "]";
    }
}
