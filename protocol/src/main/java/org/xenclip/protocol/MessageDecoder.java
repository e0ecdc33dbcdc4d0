package org.xenclip.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental reader of one direction of the channel. Bytes go in with {@link #feed} split anywhere;
 * {@link #next} hands out whole messages, or {@code null} while a message is incomplete ("not enough bytes
 * yet" is not an error). Malformed input throws {@link ProtocolException}; afterwards the reader has
 * skipped the bad bytes and, unless the exception says the framing is intact, scans for a version again.
 *
 * <p>The handshake messages are not self-describing, so the reader tracks which {@link Step} comes next and
 * advances it the way both roles do; a session moves it explicitly where its rules differ (speaking first,
 * timeouts). Every length is checked against a named limit before anything is allocated; payloads over the
 * cap are drained without being stored.
 */
final class MessageDecoder {

    enum Direction {
        SERVER_TO_CLIENT,
        CLIENT_TO_SERVER
    }

    enum Step {
        /** Profile rule 1: discard everything until a complete version. */
        SCAN_VERSION,
        SECURITY_TYPES,
        SECURITY_CHOICE,
        SECURITY_RESULT,
        CLIENT_INIT,
        SERVER_INIT,
        MESSAGES
    }

    private static final byte[] VERSION_TEMPLATE = "RFB 000.000\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SERVER_INIT_FIXED_LENGTH = 24;
    private static final int CUT_TEXT_HEADER_LENGTH = 8;
    /**
     * Section 3 (SetEncodings): real clients list a few dozen encodings; the U16 count would allow 256 KiB,
     * more than a small payload cap, so it has a limit of its own (profile rule 4).
     */
    static final int MAX_ENCODINGS = 1024;

    private final Direction direction;
    private final long maxPayloadBytes;
    private final int maxStringBytes;

    private byte[] buf = new byte[512];
    private int head;
    private int tail;
    private Step step = Step.SCAN_VERSION;
    private boolean extendedLengths;
    /** Bytes still to consume, unstored, of a message being drained (oversize) or skipped. */
    private long drainRemaining;
    /** The whole length of that message, header included. */
    private long drainTotal;
    /** What {@link #next} reports once the message is consumed. */
    private Message drainResult;

    private long noise;

    MessageDecoder(Direction direction, long maxPayloadBytes, int maxStringBytes) {
        this.direction = direction;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxStringBytes = maxStringBytes;
    }

    Step step() {
        return step;
    }

    /** Sets what the next message is; {@link Step#SCAN_VERSION} also forgets the Extended Clipboard. */
    void expect(Step next) {
        step = next;
        if (next == Step.SCAN_VERSION) {
            extendedLengths = false;
        }
    }

    /**
     * Section 4: once the Extended Clipboard is asked for, a negative cut-text length is an extended message.
     */
    void setExtendedLengths(boolean on) {
        extendedLengths = on;
    }

    boolean extendedLengths() {
        return extendedLengths;
    }

    /** Appends bytes; callers feed bounded chunks and call {@link #next} until it returns null. */
    void feed(byte[] data, int offset, int length) {
        if (length > buf.length - tail) {
            int live = tail - head;
            if (live + length <= buf.length && head > 0) {
                System.arraycopy(buf, head, buf, 0, live);
            } else {
                byte[] grown = new byte[Math.max(buf.length * 2, live + length)];
                System.arraycopy(buf, head, grown, 0, live);
                buf = grown;
            }
            head = 0;
            tail = live;
        }
        System.arraycopy(data, offset, buf, tail, length);
        tail += length;
    }

    /** Whether bytes of an unfinished message (not a version being scanned for) are held or owed. */
    boolean inMessage() {
        return drainRemaining > 0 || (step != Step.SCAN_VERSION && tail > head);
    }

    /** Bytes received so far of the unfinished message, for the stalled-message report (rule 8). */
    long bytesOfUnfinishedMessage() {
        return drainRemaining > 0 ? drainTotal - drainRemaining : tail - head;
    }

    /** Drops whatever is buffered or being drained and scans for a version again (rule 8). */
    void discardAndScan() {
        head = 0;
        tail = 0;
        drainRemaining = 0;
        noise = 0;
        expect(Step.SCAN_VERSION);
    }

    /** The next whole message or decoder outcome, or null until more bytes arrive. */
    Message next() throws ProtocolException {
        if (drainRemaining > 0) {
            int n = (int) Math.min(available(), drainRemaining);
            head += n;
            drainRemaining -= n;
            return drainRemaining > 0 ? null : drainResult;
        }
        if (step == Step.SCAN_VERSION) {
            return scan();
        }
        if (available() == 0) {
            return null;
        }
        int start = head;
        try {
            if (buf[head] == 'R') {
                // Profile rule 3: 'R' is no message type, and no handshake field of ours starts with it.
                int matched = versionPrefix(head);
                if (matched == Rfb.VERSION_LENGTH) {
                    return takeVersion();
                }
                if (matched == available()) {
                    return null;
                }
            }
            return switch (step) {
                case SECURITY_TYPES -> securityTypes(Step.SECURITY_RESULT);
                case SECURITY_RESULT -> securityResult();
                case SERVER_INIT -> serverInit();
                case SECURITY_CHOICE -> securityChoice();
                case CLIENT_INIT -> clientInit();
                case MESSAGES -> direction == Direction.SERVER_TO_CLIENT ? serverMessage() : clientMessage();
                case SCAN_VERSION -> throw new AssertionError("handled above");
            };
        } catch (ProtocolException e) {
            if (!e.framingIntact()) {
                if (head == start) {
                    head = start + 1;
                }
                expect(Step.SCAN_VERSION);
            }
            throw e;
        }
    }

    private int available() {
        return tail - head;
    }

    private int u8(int at) {
        return buf[head + at] & 0xFF;
    }

    private int u16(int at) {
        return (u8(at) << 8) | u8(at + 1);
    }

    private long u32(int at) {
        return ((long) u8(at) << 24) | ((long) u8(at + 1) << 16) | ((long) u8(at + 2) << 8) | u8(at + 3);
    }

    private String string(int at, int length) {
        return new String(buf, head + at, length, StandardCharsets.UTF_8);
    }

    /** Number of bytes from {@code pos} that match the version template, up to 12; -1 on a mismatch. */
    private int versionPrefix(int pos) {
        int n = Math.min(tail - pos, Rfb.VERSION_LENGTH);
        for (int i = 0; i < n; i++) {
            byte b = buf[pos + i];
            byte t = VERSION_TEMPLATE[i];
            boolean ok = t == '0' ? b >= '0' && b <= '9' : b == t;
            if (!ok) {
                return -1;
            }
        }
        return n;
    }

    private Message scan() throws ProtocolException {
        while (available() > 0) {
            int matched = versionPrefix(head);
            if (matched == Rfb.VERSION_LENGTH) {
                if (noise > 0) {
                    return takeNoise();
                }
                return takeVersion();
            }
            if (matched >= 0) {
                break; // a possible version, still incomplete
            }
            head++;
            noise++;
        }
        return noise > 0 ? takeNoise() : null;
    }

    private Message takeNoise() {
        Message m = new Message.Noise(noise);
        noise = 0;
        return m;
    }

    private Message takeVersion() throws ProtocolException {
        int major = digits(4);
        int minor = digits(8);
        head += Rfb.VERSION_LENGTH;
        extendedLengths = false;
        if (major < 3 || (major == 3 && minor < 8)) {
            step = Step.SCAN_VERSION;
            throw new ProtocolException(
                    String.format("protocol version %03d.%03d below minimum 003.008", major, minor));
        }
        step = direction == Direction.SERVER_TO_CLIENT ? Step.SECURITY_TYPES : Step.SECURITY_CHOICE;
        return new Message.Version(major, minor);
    }

    private int digits(int at) {
        return (u8(at) - '0') * 100 + (u8(at + 1) - '0') * 10 + (u8(at + 2) - '0');
    }

    private long checkString(String field, long length) throws ProtocolException {
        if (length > maxStringBytes) {
            throw new ProtocolException(field + " length " + length + " exceeds limit " + maxStringBytes);
        }
        return length;
    }

    private Message securityTypes(Step after) throws ProtocolException {
        int count = u8(0);
        if (count == 0) {
            if (available() < 5) {
                return null;
            }
            int length = (int) checkString("security failure reason", u32(1));
            if (available() < 5 + length) {
                return null;
            }
            String reason = string(5, length);
            head += 5 + length;
            throw new ProtocolException("security types count 0 (refused): " + reason);
        }
        if (available() < 1 + count) {
            return null;
        }
        List<Integer> types = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            types.add(u8(1 + i));
        }
        head += 1 + count;
        if (!types.contains(Rfb.SECURITY_NONE)) {
            throw new ProtocolException("security types " + types + " do not include None (1)");
        }
        step = after;
        return new Message.SecurityTypes(types);
    }

    private Message securityResult() throws ProtocolException {
        if (u8(0) != 0) {
            // A SecurityResult starts with 0 (its value is 0, 1 or 2); a non-zero byte is a second security
            // types list: the server answering a repeated version of ours (profile rule 2). Skip it.
            return securityTypes(Step.SECURITY_RESULT);
        }
        if (available() < 4) {
            return null;
        }
        long status = u32(0);
        if (status == 0) {
            head += 4;
            step = Step.SERVER_INIT;
            return new Message.SecurityResultOk();
        }
        if (available() < 8) {
            return null;
        }
        int length = (int) checkString("security result reason", u32(4));
        if (available() < 8 + length) {
            return null;
        }
        String reason = string(8, length);
        head += 8 + length;
        throw new ProtocolException("security result " + status + " (failed): " + reason);
    }

    private Message serverInit() throws ProtocolException {
        if (available() < SERVER_INIT_FIXED_LENGTH) {
            return null;
        }
        int length = (int) checkString("ServerInit name", u32(20));
        if (available() < SERVER_INIT_FIXED_LENGTH + length) {
            return null;
        }
        Message.PixelFormat format = new Message.PixelFormat(
                u8(4), u8(5), u8(6) != 0, u8(7) != 0, u16(8), u16(10), u16(12), u8(14), u8(15), u8(16));
        Message m = new Message.ServerInit(u16(0), u16(2), format, string(SERVER_INIT_FIXED_LENGTH, length));
        head += SERVER_INIT_FIXED_LENGTH + length;
        step = Step.MESSAGES;
        return m;
    }

    private Message securityChoice() throws ProtocolException {
        int type = u8(0);
        head += 1;
        if (type != Rfb.SECURITY_NONE) {
            throw new ProtocolException("security choice " + type + " differs from the only type offered, None (1)");
        }
        step = Step.CLIENT_INIT;
        return new Message.SecurityChoice(type);
    }

    private Message clientInit() {
        boolean shared = u8(0) != 0; // protocol.md section 2: send 1, accept any
        head += 1;
        step = Step.MESSAGES;
        return new Message.ClientInit(shared);
    }

    private Message serverMessage() throws ProtocolException {
        int type = u8(0);
        switch (type) {
            case Rfb.S_FRAMEBUFFER_UPDATE -> {
                if (available() < 4) {
                    return null;
                }
                int rects = u16(2);
                if (rects != 0) {
                    throw new ProtocolException("FramebufferUpdate rectangle count " + rects
                            + " exceeds limit 0 (rectangle lengths are unknowable)");
                }
                return skip(type, 4);
            }
            case Rfb.S_SET_COLOUR_MAP_ENTRIES -> {
                if (available() < 6) {
                    return null;
                }
                return skip(type, 6 + 6 * u16(4));
            }
            case Rfb.S_BELL -> {
                return skip(type, 1);
            }
            case Rfb.S_CUT_TEXT -> {
                return cutText();
            }
            default -> throw new ProtocolException("server message type " + type + " unknown (known: 0, 1, 2, 3)");
        }
    }

    private Message clientMessage() throws ProtocolException {
        int type = u8(0);
        switch (type) {
            case Rfb.C_SET_PIXEL_FORMAT -> {
                return skip(type, 20);
            }
            case Rfb.C_SET_ENCODINGS -> {
                if (available() < 4) {
                    return null;
                }
                int count = u16(2);
                if (count > MAX_ENCODINGS) {
                    throw new ProtocolException("SetEncodings count " + count + " exceeds limit " + MAX_ENCODINGS);
                }
                if (available() < 4 + 4 * count) {
                    return null;
                }
                List<Integer> encodings = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    encodings.add((int) u32(4 + 4 * i));
                }
                head += 4 + 4 * count;
                return new Message.SetEncodings(encodings);
            }
            case Rfb.C_FRAMEBUFFER_UPDATE_REQUEST -> {
                return skip(type, 10);
            }
            case Rfb.C_KEY_EVENT -> {
                return skip(type, 8); // never injected
            }
            case Rfb.C_POINTER_EVENT -> {
                return skip(type, 6); // never injected
            }
            case Rfb.C_CUT_TEXT -> {
                return cutText();
            }
            default -> throw new ProtocolException(
                    "client message type " + type + " unknown (known: 0, 2, 3, 4, 5, 6)");
        }
    }

    /** Skips a tolerated message by its length, consuming it as it arrives rather than storing it. */
    private Message skip(int type, int length) throws ProtocolException {
        Message skipped = new Message.Skipped(type, length);
        if (available() >= length) {
            head += length;
            return skipped;
        }
        return consumeUnstored(available(), length - available(), skipped);
    }

    private Message cutText() throws ProtocolException {
        if (available() < CUT_TEXT_HEADER_LENGTH) {
            return null;
        }
        long raw = u32(4); // unsigned, as a long: never Math.abs on an int (section 3)
        if (extendedLengths && raw > Rfb.MAX_MESSAGE_LENGTH) {
            long size = (1L << 32) - raw; // -length of the S32
            if (size < Rfb.MIN_EXTENDED_LENGTH) {
                throw new ProtocolException(
                        "extended clipboard length " + size + " below minimum " + Rfb.MIN_EXTENDED_LENGTH);
            }
            if (size > Rfb.MAX_MESSAGE_LENGTH) {
                throw new ProtocolException(
                        "extended clipboard length " + size + " exceeds limit " + Rfb.MAX_MESSAGE_LENGTH);
            }
            if (size > ExtendedClipboard.wireCeiling(maxPayloadBytes)) {
                return drain(size);
            }
            if (available() < CUT_TEXT_HEADER_LENGTH + size) {
                return null;
            }
            int bodyStart = head + CUT_TEXT_HEADER_LENGTH;
            head = bodyStart + (int) size;
            return ExtendedClipboard.decode(buf, bodyStart, (int) size, maxPayloadBytes);
        }
        if (raw > Rfb.MAX_MESSAGE_LENGTH) {
            throw new ProtocolException("cut text length " + raw + " exceeds limit " + Rfb.MAX_MESSAGE_LENGTH);
        }
        if (raw > maxPayloadBytes) {
            return drain(raw);
        }
        if (available() < CUT_TEXT_HEADER_LENGTH + raw) {
            return null;
        }
        String text = new String(buf, head + CUT_TEXT_HEADER_LENGTH, (int) raw, StandardCharsets.ISO_8859_1);
        head += CUT_TEXT_HEADER_LENGTH + (int) raw;
        return new Message.CutText(text);
    }

    /** Profile rule 4: consume an oversize payload as it arrives, storing none of it. */
    private Message drain(long size) throws ProtocolException {
        return consumeUnstored(CUT_TEXT_HEADER_LENGTH, size, new Message.Oversize(size, maxPayloadBytes));
    }

    private Message consumeUnstored(int present, long remaining, Message result) throws ProtocolException {
        head += present;
        drainRemaining = remaining;
        drainTotal = present + remaining;
        drainResult = result;
        return next();
    }
}
