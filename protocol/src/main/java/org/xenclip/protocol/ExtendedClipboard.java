package org.xenclip.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The body of an Extended Clipboard message (protocol.md section 4): U32 flags, then per action the caps
 * sizes or, for provide, one zlib stream holding U32 size + data per format. Only the text format is
 * produced; other formats a peer provides are skipped.
 */
final class ExtendedClipboard {

    private static final int INFLATE_CHUNK = 8192;

    /**
     * Room past a sized text entry, so that the inflater can report the end of the stream without another
     * growth; other formats' entries, which nobody sends us, grow the array as before.
     */
    private static final int INFLATE_TAIL = 64;

    /**
     * Deflate's best case (RFC 1951: a 258-byte match in as little as 2 bits, about 1032 to 1): a size field
     * claiming more than the compressed bytes times this is a lie and does not size the first allocation.
     */
    private static final int MAX_DEFLATE_RATIO = 1032;

    /** Room for the size field, the NUL, the flags and zlib's own framing around a small text. */
    private static final long WIRE_OVERHEAD = 64;

    /**
     * Profile rule 4 counts the payload cap in the same unit as {@code sendText}: the text's UTF-8 bytes with
     * LF line ends. On the extended wire the same text grows (CRLF, NUL, size field, zlib framing): at most
     * twice plus a little when every character is a line end. So the extended message and its inflated
     * payload are capped at this ceiling, still a fixed bound chosen before allocating, and the decoded text
     * is then held to the cap exactly. A peer with the same configuration thus never has its text refused.
     */
    static long wireCeiling(long cap) {
        return Math.min(2 * cap + WIRE_OVERHEAD, Integer.MAX_VALUE - 16);
    }

    private ExtendedClipboard() {}

    /**
     * Decodes an extended body whose framing is already consumed, so every error here leaves the stream in
     * step ({@link ProtocolException#framingIntact()}).
     */
    static Message decode(byte[] buf, int offset, int length, long maxPayloadBytes) throws ProtocolException {
        int flags = readInt(buf, offset);
        int formats = flags & Rfb.FORMAT_MASK;
        int bodyStart = offset + 4;
        int bodyLength = length - 4;
        if ((flags & Rfb.ACTION_CAPS) != 0) {
            int count = Integer.bitCount(formats);
            if (bodyLength < 4 * count) {
                throw new ProtocolException(
                        "extended caps size list of " + bodyLength + " bytes below the " + 4 * count + " its " + count
                                + " formats need",
                        true);
            }
            List<Long> sizes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sizes.add(readInt(buf, bodyStart + 4 * i) & 0xFFFFFFFFL);
            }
            return new Message.ExtCaps(formats, flags & Rfb.ALL_ACTIONS, sizes);
        }
        if ((flags & Rfb.ACTION_REQUEST) != 0) {
            return new Message.ExtRequest(formats);
        }
        if ((flags & Rfb.ACTION_PEEK) != 0) {
            return new Message.ExtPeek(formats);
        }
        if ((flags & Rfb.ACTION_NOTIFY) != 0) {
            return new Message.ExtNotify(formats);
        }
        if ((flags & Rfb.ACTION_PROVIDE) != 0) {
            return provide(formats, buf, bodyStart, bodyLength, maxPayloadBytes);
        }
        return new Message.Skipped(Rfb.S_CUT_TEXT, length + 8L); // no action we know: ignore
    }

    private static Message provide(int formats, byte[] buf, int offset, int length, long cap) throws ProtocolException {
        long ceiling = wireCeiling(cap);
        byte[] inflated;
        int size;
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(buf, offset, length);
            byte[] out = new byte[(int) Math.min(ceiling + 1, INFLATE_CHUNK)];
            size = 0;
            boolean sized = false;
            while (!inflater.finished()) {
                if (size == out.length) {
                    if (size > ceiling) {
                        // Profile rule 4 and section 4: a decompression bomb stops at the cap.
                        return new Message.Oversize(size, cap);
                    }
                    long grown = (long) out.length * 2;
                    if (!sized && (formats & Rfb.FORMAT_TEXT) != 0) {
                        // The text entry comes first and its size field says how much follows: one array of that
                        // size instead of doubling up to it (a megabyte's doublings were 2 MiB of garbage, and
                        // the agent's small heap paid for them in full collections). Never beyond the ceiling,
                        // nor beyond what the compressed bytes can hold, whatever the field claims.
                        sized = true;
                        long claimed = 4 + (readInt(out, 0) & 0xFFFFFFFFL) + INFLATE_TAIL;
                        long possible = (long) length * MAX_DEFLATE_RATIO + INFLATE_TAIL;
                        grown = Math.max(grown, Math.min(claimed, possible));
                    }
                    out = Arrays.copyOf(out, (int) Math.min(ceiling + 1, grown));
                }
                int remainingBefore = inflater.getRemaining();
                int n = inflater.inflate(out, size, out.length - size);
                size += n;
                boolean stuck = n == 0 && inflater.getRemaining() == remainingBefore;
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary() || stuck)) {
                    // Input used up before the end-of-stream marker: TigerVNC (and QEMU) flush each
                    // message's zlib stream with Z_SYNC_FLUSH and never finish it. Accept what was flushed.
                    break;
                }
            }
            if (size > ceiling) {
                return new Message.Oversize(size, cap);
            }
            inflated = out;
        } catch (DataFormatException e) {
            throw new ProtocolException("extended provide zlib data corrupt: " + e.getMessage(), true);
        } finally {
            inflater.end();
        }
        String text = "";
        int pos = 0;
        for (int bit = 0; bit < 16; bit++) {
            if ((formats & (1 << bit)) == 0) {
                continue;
            }
            if (size - pos < 4) {
                throw new ProtocolException(
                        "extended provide of format bit " + bit + " has " + (size - pos) + " bytes, below the 4"
                                + " of its size field",
                        true);
            }
            long entry = readInt(inflated, pos) & 0xFFFFFFFFL;
            pos += 4;
            if (entry > size - pos) {
                throw new ProtocolException(
                        "extended provide entry size " + entry + " exceeds the " + (size - pos)
                                + " inflated bytes left",
                        true);
            }
            if (bit == 0) {
                int textLength = (int) entry;
                if (textLength > 0 && inflated[pos + textLength - 1] == 0) {
                    textLength--; // the terminating NUL the size includes
                }
                long localSize = (long) textLength - crLfCount(inflated, pos, textLength);
                if (localSize > cap) {
                    return new Message.Oversize(localSize, cap);
                }
                text = new String(inflated, pos, textLength, StandardCharsets.UTF_8);
            }
            pos += (int) entry;
        }
        return new Message.ExtProvide(formats, text);
    }

    private static int crLfCount(byte[] b, int offset, int length) {
        int n = 0;
        for (int i = offset + 1; i < offset + length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r') {
                n++;
            }
        }
        return n;
    }

    /** The flags word and body of an extended message (without the 8-byte cut-text header). */
    static byte[] encodeBody(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (m instanceof Message.ExtCaps c) {
            writeInt(out, c.formats() | c.actions() | Rfb.ACTION_CAPS);
            for (long size : c.maxSizes()) {
                writeInt(out, (int) size);
            }
        } else if (m instanceof Message.ExtRequest r) {
            writeInt(out, r.formats() | Rfb.ACTION_REQUEST);
        } else if (m instanceof Message.ExtPeek p) {
            writeInt(out, p.formats() | Rfb.ACTION_PEEK);
        } else if (m instanceof Message.ExtNotify n) {
            writeInt(out, n.formats() | Rfb.ACTION_NOTIFY);
        } else if (m instanceof Message.ExtProvide p) {
            byte[] zlib = deflate(providePayload(p.wireText()));
            ByteArrayOutputStream provide = new ByteArrayOutputStream(4 + zlib.length);
            writeInt(provide, Rfb.FORMAT_TEXT | Rfb.ACTION_PROVIDE);
            provide.write(zlib, 0, zlib.length);
            return provide.toByteArray();
        } else {
            throw new IllegalArgumentException("not an extended clipboard message: " + m);
        }
        return out.toByteArray();
    }

    /** The inflated provide payload: U32 size, UTF-8 text, NUL (the size counts the NUL). */
    static byte[] providePayload(String wireText) {
        byte[] utf8 = wireText.getBytes(StandardCharsets.UTF_8);
        // the trailing NUL is the array's last zero
        return ByteBuffer.allocate(utf8.length + 5)
                .putInt(utf8.length + 1)
                .put(utf8)
                .array();
    }

    /**
     * zlib's fastest level. For 1 MiB of mixed-script text on the build machine: 18 ms and 61 % of the size at
     * level 1, 73 ms and 57 % at the default level 6; the 4 % more bytes cost the channel a few ms, the default
     * level cost most of the whole-path time of a large copy (docs/benchmarks/e2e.md). Any level inflates alike.
     */
    static final int DEFLATE_LEVEL = Deflater.BEST_SPEED;

    /**
     * One complete zlib stream per message (section 4), deflated straight into an array of zlib's worst-case
     * size for the input, so a megabyte is not copied chunk by chunk.
     */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try {
            deflater.setInput(data);
            deflater.finish();
            byte[] out = new byte[deflateBound(data.length)];
            int n = 0;
            while (!deflater.finished()) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length + INFLATE_CHUNK); // not reached: the bound holds
                }
                n += deflater.deflate(out, n, out.length - n);
            }
            return n == out.length ? out : Arrays.copyOf(out, n);
        } finally {
            deflater.end();
        }
    }

    /**
     * zlib's {@code compressBound()}: the most a zlib stream of {@code length} input bytes can take at any level
     * (incompressible input goes into stored blocks of a few bytes' framing each), header and trailer included.
     */
    static int deflateBound(int length) {
        return (int) Math.min(Integer.MAX_VALUE - 16, length + (length >> 12) + (length >> 14) + (length >> 25) + 13L);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
