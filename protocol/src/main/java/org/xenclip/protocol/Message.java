package org.xenclip.protocol;

import java.util.List;

/**
 * Everything a {@link MessageDecoder} can hand out: the RFB 3.8 messages this channel uses (protocol.md
 * sections 2-4) plus three decoder outcomes that are not wire messages ({@link Skipped}, {@link Oversize},
 * {@link Noise}). Text fields hold the wire form (Latin-1 or UTF-8 decoded, wire line ends); the sessions
 * convert to {@link ClipboardText} at the edge.
 */
sealed interface Message {

    /** {@code RFB xxx.yyy\n}: a greeting, an answer, or (anywhere else) a restart marker. */
    record Version(int major, int minor) implements Message {
        static final Version V3_8 = new Version(3, 8);
    }

    /** S->C list of security types; always contains None (1), the decoder rejects anything else. */
    record SecurityTypes(List<Integer> types) implements Message {
        static final SecurityTypes NONE_ONLY = new SecurityTypes(List.of(Rfb.SECURITY_NONE));

        public SecurityTypes {
            types = List.copyOf(types);
        }
    }

    /** C->S chosen security type; always None (1). */
    record SecurityChoice(int type) implements Message {}

    /** S->C SecurityResult 0; a failed result is a {@link ProtocolException}. */
    record SecurityResultOk() implements Message {}

    /** C->S ClientInit. */
    record ClientInit(boolean shared) implements Message {}

    /** S->C ServerInit. */
    record ServerInit(int width, int height, PixelFormat pixelFormat, String name) implements Message {}

    /** The 16-byte PIXEL_FORMAT of ServerInit and SetPixelFormat. */
    record PixelFormat(
            int bitsPerPixel,
            int depth,
            boolean bigEndian,
            boolean trueColour,
            int redMax,
            int greenMax,
            int blueMax,
            int redShift,
            int greenShift,
            int blueShift) {
        /** What our server sends (protocol.md section 2); clients must not validate it. */
        static final PixelFormat DEFAULT = new PixelFormat(32, 24, false, true, 255, 255, 255, 16, 8, 0);
    }

    /** C->S SetEncodings. */
    record SetEncodings(List<Integer> encodings) implements Message {
        public SetEncodings {
            encodings = List.copyOf(encodings);
        }

        boolean asksForExtendedClipboard() {
            return encodings.contains(Rfb.ENCODING_EXTENDED_CLIPBOARD);
        }
    }

    /** ServerCutText or ClientCutText with a non-negative length: Latin-1, LF line ends on the wire. */
    record CutText(String latin1) implements Message {}

    /** Extended Clipboard caps: formats, actions and one unsolicited-size limit per format bit set. */
    record ExtCaps(int formats, int actions, List<Long> maxSizes) implements Message {
        public ExtCaps {
            maxSizes = List.copyOf(maxSizes);
        }

        /** The largest unsolicited text the sender accepts, 0 when it lists no text format. */
        long maxUnsolicitedText() {
            return (formats & Rfb.FORMAT_TEXT) != 0 && !maxSizes.isEmpty() ? maxSizes.get(0) : 0;
        }
    }

    /** Extended Clipboard request: "provide these formats". */
    record ExtRequest(int formats) implements Message {}

    /** Extended Clipboard peek: "reply with a notify". */
    record ExtPeek(int formats) implements Message {}

    /** Extended Clipboard notify: "these formats are now on my clipboard". */
    record ExtNotify(int formats) implements Message {}

    /**
     * Extended Clipboard provide. {@code wireText} is the text entry decoded from UTF-8 without its NUL
     * terminator, line ends as sent (CRLF); empty when {@code formats} has no text bit.
     */
    record ExtProvide(int formats, String wireText) implements Message {
        boolean hasText() {
            return (formats & Rfb.FORMAT_TEXT) != 0;
        }
    }

    /** A message the profile tolerates and ignores (protocol.md section 3), skipped by its length. */
    record Skipped(int type, long length) implements Message {}

    /** A payload over the configured limit, drained or inflated no further than the limit and dropped. */
    record Oversize(long size, long limit) implements Message {}

    /** Bytes discarded while scanning for a version (profile rule 1). */
    record Noise(long count) implements Message {}
}
