package org.xenclip.e2e;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Clipboard texts for the tests, and how to name one in a message without showing it. */
final class Texts {

    /** Latin, CJK, emoji (surrogate pairs), Hebrew and Arabic (right to left), tab and newline. */
    private static final int[] ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;-\t\n"
                    + "漢字かなカナ한국어中文测试"
                    + "😀🎉🔑🚀👍🏽"
                    + "שלוםעולם"
                    + "مرحبابالعالم")
            .codePoints()
            .toArray();

    private Texts() {}

    /**
     * Text of exactly {@code utf8Bytes} UTF-8 bytes drawn from the mixed alphabet (so zlib cannot shrink it
     * much), deterministic for a seed. No CR and no control or bidi-override characters, which the host's
     * sanitiser would (rightly) remove.
     */
    static String random(long seed, int utf8Bytes) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder(utf8Bytes);
        int size = 0;
        while (size < utf8Bytes) {
            int cp = ALPHABET[random.nextInt(ALPHABET.length)];
            int len = utf8Length(cp);
            if (size + len > utf8Bytes) {
                cp = 'x';
                len = 1;
            }
            b.appendCodePoint(cp);
            size += len;
        }
        return b.toString();
    }

    /** ASCII prose-like text of exactly {@code bytes} bytes: what zlib compresses well. */
    static String prose(int bytes) {
        String line = "The quick brown fox jumps over the lazy dog while the clipboard crosses the channel.\n";
        StringBuilder b = new StringBuilder(bytes);
        while (b.length() < bytes) {
            b.append(line);
        }
        b.setLength(bytes);
        return b.toString();
    }

    static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    static long utf8Size(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A text as a message may name it: its size and a hash, never its content. */
    static String describe(String text) {
        return text == null ? "(none)" : utf8Size(text) + " bytes, hash " + Integer.toHexString(text.hashCode());
    }
}
