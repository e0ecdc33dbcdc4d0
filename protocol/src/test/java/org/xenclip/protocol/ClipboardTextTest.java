package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The counted sizes are exactly what encoding would give, for every kind of UTF-16 content. */
class ClipboardTextTest {

    /** Code units that exercise each branch of the count: ASCII, LF, CR, 2- and 3-byte, pairs, lone halves. */
    private static final char[] UNITS = {
        'a', '\n', '\r', '\t', 0, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x4e2d, 0xfffd, 0xffff, 0xd83d, 0xde00, 0xdbff, 0xdfff
    };

    @Test
    void sizesMatchTheEncoderForRandomTexts() {
        Random random = new Random(20261127);
        for (int round = 0; round < 5000; round++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                b.append(UNITS[random.nextInt(UNITS.length)]);
            }
            String s = b.toString();
            ClipboardText text = ClipboardText.of(s);
            assertThat(text.utf8Size())
                    .as("UTF-8 size of %s", escape(s))
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
            assertThat(text.crlfWireUtf8Size())
                    .as("CRLF wire size of %s", escape(s))
                    .isEqualTo(text.toCrlfWire().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void knownSizes() {
        assertThat(ClipboardText.EMPTY.utf8Size()).isZero();
        assertThat(ClipboardText.of("a\nb\n").crlfWireUtf8Size()).isEqualTo(6);
        assertThat(ClipboardText.of("中😀").utf8Size()).isEqualTo(7);
        assertThat(ClipboardText.of("\ud83d").utf8Size())
                .as("a lone high surrogate is encoded as '?'")
                .isEqualTo(1);
    }

    @Test
    void equalityIsTheText() {
        ClipboardText a = ClipboardText.of("same\n");
        ClipboardText b = new ClipboardText("same\n");
        a.utf8Size(); // one counted, the other not: equality does not depend on it
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ClipboardText.of("same"));
        assertThat(a.toString()).doesNotContain("same");
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
        return b.toString();
    }
}
