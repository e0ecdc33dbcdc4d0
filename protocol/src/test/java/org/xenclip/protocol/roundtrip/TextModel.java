package org.xenclip.protocol.roundtrip;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import org.xenclip.protocol.ClipboardText;

/**
 * Generators of clipboard text and the model of what the peer must receive, written from protocol.md
 * alone so that it shares no code with the implementation under test.
 */
final class TextModel {

    private TextModel() {}

    /**
     * Code points weighted towards the awkward ones: NUL, CR, LF and other controls, Latin-1, the rest
     * of the BMP (never a lone surrogate: that is not text), and astral characters such as emoji.
     */
    static Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(10, Arbitraries.of(0x00, 0x0A, 0x0D, 0x0A, 0x0D, 0x09)),
                Tuple.of(3, Arbitraries.integers().between(0x01, 0x1F)),
                Tuple.of(8, Arbitraries.integers().between(0x7F, 0xFF)),
                Tuple.of(8, Arbitraries.integers().between(0x100, 0xD7FF)),
                Tuple.of(3, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(8, Arbitraries.integers().between(0x10000, 0x10FFFF)),
                Tuple.of(4, Arbitraries.of(0x20AC, 0x65E5, 0x672C, 0x1F600, 0x1F44D, 0xFEFF, 0xFFFD)));
    }

    /** Raw strings of up to {@code maxCodePoints} code points, CR/LF mixes included. */
    static Arbitrary<String> rawTexts(int maxCodePoints) {
        return codePoints().list().ofMaxSize(maxCodePoints).map(TextModel::fromCodePoints);
    }

    /** Texts a local clipboard could hand the session: any raw string, CR/LF mixes included. */
    static Arbitrary<ClipboardText> texts(int maxCodePoints) {
        return rawTexts(maxCodePoints).map(TextModel::desktopText);
    }

    static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder(codePoints.size() * 2);
        for (int cp : codePoints) {
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /**
     * Profile rule 5 as a model: a Linux desktop's text is taken exactly as it is (LF is its line end, a CR
     * is content), so any raw string is a valid clipboard text.
     */
    static ClipboardText desktopText(String raw) {
        return new ClipboardText(raw);
    }

    /**
     * What a legacy (Latin-1) transfer delivers, protocol.md section 3: every code point above U+00FF,
     * astral ones included, becomes one '?'.
     */
    static ClipboardText legacy(ClipboardText text) {
        StringBuilder sb = new StringBuilder(text.text().length());
        text.text().codePoints().forEach(cp -> sb.append(cp <= 0xFF ? (char) cp : '?'));
        return new ClipboardText(sb.toString());
    }

    /** Bytes of the text on the extended wire before compression: CRLF line ends and a NUL (section 4). */
    static long extendedWireSize(ClipboardText text) {
        long lf = text.text().chars().filter(c -> c == '\n').count();
        return text.utf8Size() + lf + 1;
    }
}
