package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Named limits, bounded buffering and the public value types' own checks. */
class DecoderLimitsTest {

    private static MessageDecoder decoder(MessageDecoder.Direction d, long cap) {
        MessageDecoder decoder = new MessageDecoder(d, cap, SessionConfig.DEFAULT_MAX_STRING_BYTES);
        decoder.expect(MessageDecoder.Step.MESSAGES);
        return decoder;
    }

    @Test
    void rejectsSetEncodingsOverItsLimitBeforeBufferingThem() {
        MessageDecoder decoder = decoder(MessageDecoder.Direction.CLIENT_TO_SERVER, 1 << 20);
        byte[] header = Hex.bytes("02 00 04 01");
        decoder.feed(header, 0, header.length);

        assertThatThrownBy(decoder::next)
                .isInstanceOf(ProtocolException.class)
                .hasMessage("SetEncodings count 1025 exceeds limit 1024");
    }

    @Test
    void skipsALongColourMapAsItArrivesWithoutStoringIt() throws ProtocolException {
        MessageDecoder decoder = decoder(MessageDecoder.Direction.SERVER_TO_CLIENT, 100);
        byte[] header = Hex.bytes("01 00 00 00 ff ff"); // 65535 entries: 393 216 bytes
        decoder.feed(header, 0, header.length);
        assertThat(decoder.next()).isNull();
        byte[] chunk = new byte[8192];
        long fed = 6;
        Message m = null;
        while (m == null) {
            assertThat(decoder.inMessage()).isTrue();
            assertThat(decoder.bytesOfUnfinishedMessage()).isEqualTo(fed);
            decoder.feed(chunk, 0, chunk.length);
            fed += chunk.length;
            m = decoder.next();
        }
        assertThat(m).isEqualTo(new Message.Skipped(1, 6 + 6 * 65535));
        assertThat(decoder.inMessage()).isTrue(); // the surplus of the last chunk is the next message
    }

    @Test
    void rejectsAnOversizeReasonString() {
        MessageDecoder decoder = new MessageDecoder(MessageDecoder.Direction.SERVER_TO_CLIENT, 100, 8);
        decoder.expect(MessageDecoder.Step.SECURITY_RESULT);
        byte[] b = Hex.bytes("00 00 00 01 00 00 00 09");
        decoder.feed(b, 0, b.length);

        assertThatThrownBy(decoder::next)
                .isInstanceOf(ProtocolException.class)
                .hasMessage("security result reason length 9 exceeds limit 8");
        assertThat(decoder.step()).isEqualTo(MessageDecoder.Step.SCAN_VERSION);
    }

    @Test
    void aVersionLikePrefixThatTurnsOutNotToBeOneIsAnUnknownType() throws ProtocolException {
        MessageDecoder decoder = decoder(MessageDecoder.Direction.CLIENT_TO_SERVER, 100);
        byte[] b = Hex.bytes("52 46 42 21");
        decoder.feed(b, 0, 2);
        assertThat(decoder.next()).isNull(); // still possibly a version
        decoder.feed(b, 2, 2);
        assertThatThrownBy(decoder::next).hasMessage("client message type 82 unknown (known: 0, 2, 3, 4, 5, 6)");
        assertThat(decoder.next()).isEqualTo(new Message.Noise(3));
    }

    @Test
    void clientInitOfAnyValueIsAccepted() throws ProtocolException {
        MessageDecoder decoder = new MessageDecoder(MessageDecoder.Direction.CLIENT_TO_SERVER, 100, 100);
        decoder.expect(MessageDecoder.Step.CLIENT_INIT);
        decoder.feed(new byte[] {0}, 0, 1);
        assertThat(decoder.next()).isEqualTo(new Message.ClientInit(false));
        assertThat(decoder.step()).isEqualTo(MessageDecoder.Step.MESSAGES);
    }

    @Test
    void encoderRefusesDecoderOutcomes() {
        assertThatThrownBy(() -> MessageEncoder.encode(new Message.Noise(1), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("decoder outcome, not a wire message");
        assertThatThrownBy(() -> ExtendedClipboard.encodeBody(new Message.CutText("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an extended clipboard message");
    }

    @Test
    void sessionConfigRejectsImpossibleValues() {
        SessionConfig d = SessionConfig.defaults();
        assertThatThrownBy(() -> d.withMaxPayloadBytes(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPayloadBytes -1 outside 0..2147483583");
        assertThatThrownBy(() -> new SessionConfig(
                        1, -1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true, ""))
                .hasMessage("maxStringBytes -1 is negative");
        assertThatThrownBy(() ->
                        new SessionConfig(1, 1, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), true, ""))
                .hasMessage("speakFirstAfter PT0S is not a positive duration");
        assertThat(new SessionConfig(
                                1, 1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), true, null)
                        .desktopName())
                .isEmpty();
        assertThat(d.withDesktopName("vm1").desktopName()).isEqualTo("vm1");
    }

    @Test
    void clipboardTextKeepsDesktopTextExactlyAndNeverShowsItsContentInLogs() {
        assertThat(ClipboardText.of("a\r\nb\rc").text()).isEqualTo("a\r\nb\rc");
        assertThat(ClipboardText.fromCrlfWire("a\r\nb\rc").text()).isEqualTo("a\nb\rc");
        assertThat(ClipboardText.fromCrlfWire("a\r\r\nb").text()).isEqualTo("a\r\nb");
        assertThat(new ClipboardText("a\r\nb").toCrlfWire()).isEqualTo("a\r\r\nb");
        assertThat(ClipboardText.of("héllo").utf8Size()).isEqualTo(6);
        assertThat(ClipboardText.of("secret").toString()).doesNotContain("secret");
        assertThat(ClipboardText.EMPTY.isEmpty()).isTrue();
        assertThat(SessionOutput.NOTHING.isEmpty()).isTrue();
    }
}
