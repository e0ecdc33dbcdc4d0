package org.xenclip.host.hub;

/**
 * Strips what a VM could use to make pasted text mean something other than it shows (issue 3 "Text from a
 * VM is untrusted"): C0 controls except tab and newline, DEL, C1 controls, and the bidirectional embedding,
 * override and isolate characters (the "Trojan Source" set, CVE-2021-42574).
 */
public final class TextSanitizer {

    private TextSanitizer() {}

    /** The text with the unwanted characters removed, and how many were removed. */
    public record Result(String text, int removed) {}

    public static Result sanitize(String text) {
        StringBuilder out = null;
        int removed = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isUnwanted(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length());
                    out.append(text, 0, i);
                }
                removed++;
            } else if (out != null) {
                out.append(c);
            }
        }
        return new Result(out == null ? text : out.toString(), removed);
    }

    static boolean isUnwanted(char c) {
        if (c == '\t' || c == '\n') {
            return false;
        }
        return c < 0x20 // C0
                || (c >= 0x7f && c <= 0x9f) // DEL and C1
                || (c >= 0x202a && c <= 0x202e) // LRE RLE PDF LRO RLO
                || (c >= 0x2066 && c <= 0x2069); // LRI RLI FSI PDI
    }
}
