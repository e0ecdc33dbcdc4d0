package org.xenclip.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes messages in their wire form (protocol.md sections 2-4); the inverse of {@link MessageDecoder}. */
final class MessageEncoder {

    private MessageEncoder() {}

    /**
     * @param fromServer picks the cut-text type: ServerCutText (3) from the server, ClientCutText (6) from the
     *     client
     */
    static byte[] encode(Message m, boolean fromServer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (m instanceof Message.Version v) {
            out.writeBytes(
                    String.format("RFB %03d.%03d\n", v.major(), v.minor()).getBytes(StandardCharsets.US_ASCII));
        } else if (m instanceof Message.SecurityTypes t) {
            out.write(t.types().size());
            t.types().forEach(out::write);
        } else if (m instanceof Message.SecurityChoice c) {
            out.write(c.type());
        } else if (m instanceof Message.SecurityResultOk) {
            ExtendedClipboard.writeInt(out, 0);
        } else if (m instanceof Message.ClientInit c) {
            out.write(c.shared() ? 1 : 0);
        } else if (m instanceof Message.ServerInit s) {
            serverInit(out, s);
        } else if (m instanceof Message.SetEncodings e) {
            out.write(Rfb.C_SET_ENCODINGS);
            out.write(0);
            writeShort(out, e.encodings().size());
            e.encodings().forEach(x -> ExtendedClipboard.writeInt(out, x));
        } else if (m instanceof Message.CutText c) {
            byte[] text = c.latin1().getBytes(StandardCharsets.ISO_8859_1);
            cutTextHeader(out, fromServer, text.length);
            out.writeBytes(text);
        } else if (m instanceof Message.ExtCaps
                || m instanceof Message.ExtRequest
                || m instanceof Message.ExtPeek
                || m instanceof Message.ExtNotify
                || m instanceof Message.ExtProvide) {
            byte[] body = ExtendedClipboard.encodeBody(m);
            // sized up front: a provide's body may be a megabyte
            ByteArrayOutputStream extended = new ByteArrayOutputStream(8 + body.length);
            cutTextHeader(extended, fromServer, -body.length); // section 4: a negative length marks it extended
            extended.writeBytes(body);
            return extended.toByteArray();
        } else {
            throw new IllegalArgumentException("decoder outcome, not a wire message: " + m);
        }
        return out.toByteArray();
    }

    private static void serverInit(ByteArrayOutputStream out, Message.ServerInit s) {
        writeShort(out, s.width());
        writeShort(out, s.height());
        Message.PixelFormat f = s.pixelFormat();
        out.write(f.bitsPerPixel());
        out.write(f.depth());
        out.write(f.bigEndian() ? 1 : 0);
        out.write(f.trueColour() ? 1 : 0);
        writeShort(out, f.redMax());
        writeShort(out, f.greenMax());
        writeShort(out, f.blueMax());
        out.write(f.redShift());
        out.write(f.greenShift());
        out.write(f.blueShift());
        out.writeBytes(new byte[3]);
        byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
        ExtendedClipboard.writeInt(out, name.length);
        out.writeBytes(name);
    }

    private static void cutTextHeader(ByteArrayOutputStream out, boolean fromServer, int length) {
        out.write(fromServer ? Rfb.S_CUT_TEXT : Rfb.C_CUT_TEXT);
        out.writeBytes(new byte[3]);
        ExtendedClipboard.writeInt(out, length);
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }
}
