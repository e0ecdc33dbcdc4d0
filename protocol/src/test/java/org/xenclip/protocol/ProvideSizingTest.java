package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A provide's text entry declares its size, and the decoder sizes its buffer by it: exact claims decode whole,
 * lying ones fail as before and never make the decoder trust them beyond the cap or the compressed bytes.
 */
class ProvideSizingTest {

    private static final long CAP = 1 << 20;

    /** The extended body (flags + zlib) of a text provide whose size field says {@code claimed}. */
    private static byte[] provideBody(String wireText, long claimed) {
        byte[] payload = ExtendedClipboard.providePayload(wireText);
        payload[0] = (byte) (claimed >>> 24);
        payload[1] = (byte) (claimed >>> 16);
        payload[2] = (byte) (claimed >>> 8);
        payload[3] = (byte) claimed;
        byte[] zlib = ExtendedClipboard.deflate(payload);
        return ByteBuffer.allocate(4 + zlib.length)
                .putInt(Rfb.FORMAT_TEXT | Rfb.ACTION_PROVIDE)
                .put(zlib)
                .array();
    }

    @Test
    void aLargeTextWithAnHonestSizeDecodesWhole() throws Exception {
        String text = "zeile ü 行\r\n".repeat(30_000); // about 450 KB: many inflate chunks past the first
        long size = text.getBytes(StandardCharsets.UTF_8).length + 1L;
        byte[] body = provideBody(text, size);
        Message m = ExtendedClipboard.decode(body, 0, body.length, CAP);
        assertThat(m).isEqualTo(new Message.ExtProvide(Rfb.FORMAT_TEXT, text));
    }

    @Test
    void aSizeFieldClaimingMoreThanWasSentFailsAsAnyShortEntry() {
        // 20 000 bytes that compress to a few dozen: the claim is far beyond what they can inflate to
        byte[] body = provideBody("y".repeat(20_000), 0x7FFF_FFFFL);
        assertThatThrownBy(() -> ExtendedClipboard.decode(body, 0, body.length, CAP))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("extended provide entry size 2147483647 exceeds the 20001 inflated bytes left");
    }

    @Test
    void aSizeFieldClaimingLessThanWasSentStillReadsTheDeclaredEntry() throws Exception {
        String text = "x".repeat(100_000);
        byte[] body = provideBody(text, 11); // ten bytes and the NUL that is not there
        Message m = ExtendedClipboard.decode(body, 0, body.length, CAP);
        assertThat(m).isEqualTo(new Message.ExtProvide(Rfb.FORMAT_TEXT, "x".repeat(11)));
    }
}
