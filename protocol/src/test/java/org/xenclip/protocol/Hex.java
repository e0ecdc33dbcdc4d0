package org.xenclip.protocol;

import java.util.HexFormat;

/** Hex strings as the vectors file writes them: bytes separated by spaces. */
final class Hex {

    private Hex() {}

    static byte[] bytes(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static String spaced(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
