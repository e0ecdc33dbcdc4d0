package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.protocol.MessageDecoder.Direction.CLIENT_TO_SERVER;
import static org.xenclip.protocol.MessageDecoder.Direction.SERVER_TO_CLIENT;
import static org.xenclip.protocol.MessageDecoder.Step.CLIENT_INIT;
import static org.xenclip.protocol.MessageDecoder.Step.MESSAGES;
import static org.xenclip.protocol.MessageDecoder.Step.SCAN_VERSION;
import static org.xenclip.protocol.MessageDecoder.Step.SECURITY_CHOICE;
import static org.xenclip.protocol.MessageDecoder.Step.SECURITY_RESULT;
import static org.xenclip.protocol.MessageDecoder.Step.SECURITY_TYPES;
import static org.xenclip.protocol.MessageDecoder.Step.SERVER_INIT;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xenclip.protocol.MessageDecoder.Direction;
import org.xenclip.protocol.MessageDecoder.Step;
import org.xenclip.protocol.ProtocolVectors.Vector;

/**
 * Drives the decoder, the encoder and the sessions from {@code protocol-vectors.tsv}. Each {@link Case} says
 * where in the stream a vector is read and what must come out; every vector has at least one case.
 */
class ProtocolVectorsTest {

    private static final long CAP = SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES;

    sealed interface Outcome {}

    /** Decodes to exactly these messages (consecutive noise counts merged). */
    record Decodes(List<Message> messages) implements Outcome {}

    /** Raises a ProtocolException with exactly this message, and delivers nothing. */
    record Fails(String message) implements Outcome {}

    /** Delivers nothing and holds this many bytes of an unfinished message. */
    record Incomplete(long bytes) implements Outcome {}

    record Case(String vector, Direction direction, Step step, boolean extended, Outcome outcome) {
        Vector v() {
            return ProtocolVectors.named(vector);
        }

        @Override
        public String toString() {
            return vector + " " + direction + " at " + step + (extended ? " (extended)" : "");
        }
    }

    private static Case ok(String name, Direction d, Step s, Message... m) {
        return new Case(name, d, s, false, new Decodes(List.of(m)));
    }

    private static Case okExt(String name, Direction d, Message... m) {
        return new Case(name, d, MESSAGES, true, new Decodes(List.of(m)));
    }

    private static Case fails(String name, Direction d, Step s, boolean ext, String message) {
        return new Case(name, d, s, ext, new Fails(message));
    }

    private static final Message.ServerInit INIT_UNNAMED =
            new Message.ServerInit(0, 0, Message.PixelFormat.DEFAULT, "");

    static List<Case> cases() {
        return List.of(
                ok("protocol-version", SERVER_TO_CLIENT, SCAN_VERSION, Message.Version.V3_8),
                ok("protocol-version", CLIENT_TO_SERVER, SCAN_VERSION, Message.Version.V3_8),
                ok("security-types-none", SERVER_TO_CLIENT, SECURITY_TYPES, Message.SecurityTypes.NONE_ONLY),
                ok("security-choice-none", CLIENT_TO_SERVER, SECURITY_CHOICE, new Message.SecurityChoice(1)),
                ok("security-result-ok", SERVER_TO_CLIENT, SECURITY_RESULT, new Message.SecurityResultOk()),
                ok("client-init-shared", CLIENT_TO_SERVER, CLIENT_INIT, new Message.ClientInit(true)),
                ok("server-init-0x0", SERVER_TO_CLIENT, SERVER_INIT, INIT_UNNAMED),
                ok(
                        "server-init-named",
                        SERVER_TO_CLIENT,
                        SERVER_INIT,
                        new Message.ServerInit(0, 0, Message.PixelFormat.DEFAULT, "xen-clipboard")),
                ok(
                        "handshake-s2c-all",
                        SERVER_TO_CLIENT,
                        SCAN_VERSION,
                        Message.Version.V3_8,
                        Message.SecurityTypes.NONE_ONLY,
                        new Message.SecurityResultOk(),
                        INIT_UNNAMED),
                ok(
                        "handshake-c2s-all",
                        CLIENT_TO_SERVER,
                        SCAN_VERSION,
                        Message.Version.V3_8,
                        new Message.SecurityChoice(1),
                        new Message.ClientInit(true)),
                ok("set-encodings-extclip", CLIENT_TO_SERVER, MESSAGES, new Message.SetEncodings(List.of(0xC0A1E5CE))),
                ok("server-cut-latin1", SERVER_TO_CLIENT, MESSAGES, new Message.CutText("héllo")),
                ok("client-cut-latin1", CLIENT_TO_SERVER, MESSAGES, new Message.CutText("héllo")),
                ok("server-cut-empty", SERVER_TO_CLIENT, MESSAGES, new Message.CutText("")),
                ok("server-cut-multiline", SERVER_TO_CLIENT, MESSAGES, new Message.CutText("a\nb")),
                ok("server-cut-euro-legacy", SERVER_TO_CLIENT, MESSAGES, new Message.CutText("?")),
                ok("server-cut-utf8-in-legacy", SERVER_TO_CLIENT, MESSAGES, new Message.CutText("hÃ©llo")),
                okExt(
                        "ext-caps-server",
                        SERVER_TO_CLIENT,
                        new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(1L << 20))),
                okExt("ext-notify-text", CLIENT_TO_SERVER, new Message.ExtNotify(Rfb.FORMAT_TEXT)),
                okExt("ext-notify-none", CLIENT_TO_SERVER, new Message.ExtNotify(0)),
                okExt("ext-request-text", SERVER_TO_CLIENT, new Message.ExtRequest(Rfb.FORMAT_TEXT)),
                okExt("ext-peek", SERVER_TO_CLIENT, new Message.ExtPeek(0)),
                okExt("ext-provide-hello", CLIENT_TO_SERVER, new Message.ExtProvide(Rfb.FORMAT_TEXT, "héllo")),
                okExt("ext-provide-crlf", SERVER_TO_CLIENT, new Message.ExtProvide(Rfb.FORMAT_TEXT, "a\r\nb")),
                okExt(
                        "ext-provide-emoji",
                        SERVER_TO_CLIENT,
                        new Message.ExtProvide(Rfb.FORMAT_TEXT, "日本 €\uD83D\uDE00")),
                ok("bell", SERVER_TO_CLIENT, MESSAGES, new Message.Skipped(2, 1)),
                ok("colour-map", SERVER_TO_CLIENT, MESSAGES, new Message.Skipped(1, 12)),
                ok("fb-update-empty", SERVER_TO_CLIENT, MESSAGES, new Message.Skipped(0, 4)),
                fails(
                        "fb-update-rects",
                        SERVER_TO_CLIENT,
                        MESSAGES,
                        false,
                        "FramebufferUpdate rectangle count 1 exceeds limit 0 (rectangle lengths are unknowable)"),
                ok("fb-update-request", CLIENT_TO_SERVER, MESSAGES, new Message.Skipped(3, 10)),
                ok("key-event", CLIENT_TO_SERVER, MESSAGES, new Message.Skipped(4, 8)),
                ok("pointer-event", CLIENT_TO_SERVER, MESSAGES, new Message.Skipped(5, 6)),
                ok("set-pixel-format", CLIENT_TO_SERVER, MESSAGES, new Message.Skipped(0, 20)),
                fails(
                        "version-3.3",
                        SERVER_TO_CLIENT,
                        SCAN_VERSION,
                        false,
                        "protocol version 003.003 below minimum 003.008"),
                ok("attached-noise", CLIENT_TO_SERVER, SCAN_VERSION, new Message.Noise(14)),
                fails(
                        "security-failure",
                        SERVER_TO_CLIENT,
                        SECURITY_TYPES,
                        false,
                        "security types count 0 (refused): bad version"),
                fails(
                        "security-vnc-auth-only",
                        SERVER_TO_CLIENT,
                        SECURITY_TYPES,
                        false,
                        "security types [2] do not include None (1)"),
                fails(
                        "security-result-failed",
                        SERVER_TO_CLIENT,
                        SECURITY_RESULT,
                        false,
                        "security result 1 (failed): auth failed"),
                fails(
                        "server-init-huge-name",
                        SERVER_TO_CLIENT,
                        SERVER_INIT,
                        false,
                        "ServerInit name length 4294967295 exceeds limit 4096"),
                fails(
                        "cut-length-ffffffff",
                        SERVER_TO_CLIENT,
                        MESSAGES,
                        false,
                        "cut text length 4294967295 exceeds limit 2147483647"),
                fails(
                        "cut-length-ffffffff",
                        SERVER_TO_CLIENT,
                        MESSAGES,
                        true,
                        "extended clipboard length 1 below minimum 4"),
                fails(
                        "cut-length-80000000",
                        SERVER_TO_CLIENT,
                        MESSAGES,
                        false,
                        "cut text length 2147483648 exceeds limit 2147483647"),
                fails(
                        "cut-length-80000000",
                        SERVER_TO_CLIENT,
                        MESSAGES,
                        true,
                        "extended clipboard length 2147483648 exceeds limit 2147483647"),
                new Case("cut-truncated", SERVER_TO_CLIENT, MESSAGES, false, new Incomplete(10)),
                fails(
                        "unknown-type-s2c",
                        SERVER_TO_CLIENT,
                        MESSAGES,
                        false,
                        "server message type 4 unknown (known: 0, 1, 2, 3)"),
                fails(
                        "unknown-type-c2s",
                        CLIENT_TO_SERVER,
                        MESSAGES,
                        false,
                        "client message type 7 unknown (known: 0, 2, 3, 4, 5, 6)"),
                ok("restart-marker", SERVER_TO_CLIENT, MESSAGES, Message.Version.V3_8),
                ok("restart-marker", CLIENT_TO_SERVER, MESSAGES, Message.Version.V3_8),
                new Case(
                        "ext-provide-bomb",
                        CLIENT_TO_SERVER,
                        MESSAGES,
                        true,
                        new Decodes(List.of(new Message.Oversize(ExtendedClipboard.wireCeiling(CAP) + 1, CAP)))));
    }

    static Stream<Case> okCases() {
        return cases().stream().filter(c -> c.v().expect().equals("ok"));
    }

    // ---- decoding ----

    /** Feeds the chunks and records messages, errors ("error: ...") and a final "pending N". */
    private static List<Object> decode(Case c, List<byte[]> chunks) {
        MessageDecoder decoder = new MessageDecoder(c.direction(), CAP, SessionConfig.DEFAULT_MAX_STRING_BYTES);
        decoder.expect(c.step());
        decoder.setExtendedLengths(c.extended());
        List<Object> items = new ArrayList<>();
        for (byte[] chunk : chunks) {
            decoder.feed(chunk, 0, chunk.length);
            while (true) {
                try {
                    Message m = decoder.next();
                    if (m == null) {
                        break;
                    }
                    int last = items.size() - 1;
                    if (m instanceof Message.Noise n && last >= 0 && items.get(last) instanceof Message.Noise p) {
                        items.set(last, new Message.Noise(p.count() + n.count()));
                    } else {
                        items.add(m);
                    }
                } catch (ProtocolException e) {
                    items.add("error: " + e.getMessage());
                }
            }
        }
        if (decoder.inMessage()) {
            items.add("pending " + decoder.bytesOfUnfinishedMessage());
        }
        return items;
    }

    private static void assertOutcome(Case c, List<Object> items) {
        if (c.outcome() instanceof Decodes d) {
            assertThat(items).as(c.toString()).containsExactlyElementsOf(d.messages());
        } else if (c.outcome() instanceof Fails f) {
            assertThat(items).as(c.toString()).isNotEmpty();
            assertThat(items.get(0)).as(c.toString()).isEqualTo("error: " + f.message());
            assertThat(items.subList(1, items.size()))
                    .as("after the error only noise")
                    .allMatch(i -> i instanceof Message.Noise);
        } else if (c.outcome() instanceof Incomplete i) {
            assertThat(items).as(c.toString()).containsExactly("pending " + i.bytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorDecodesToTheOutcomeItsCaseNames(Case c) {
        assertOutcome(c, decode(c, List.of(c.v().bytes())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorSplitAtEveryByteBoundaryDecodesTheSame(Case c) {
        byte[] b = c.v().bytes();
        List<Object> whole = decode(c, List.of(b));
        // The bomb is 16 KiB: every boundary would inflate 16 000 times; a prime stride still covers
        // every header boundary and many inside the zlib stream.
        int stride = b.length > 1024 ? 251 : 1;
        for (int cut = 1; cut < b.length; cut += (cut < 16 ? 1 : stride)) {
            List<Object> split = decode(c, List.of(Arrays.copyOf(b, cut), Arrays.copyOfRange(b, cut, b.length)));
            assertThat(split).as("%s split at %d", c, cut).isEqualTo(whole);
        }
        if (b.length <= 1024) {
            List<byte[]> single = new ArrayList<>();
            for (byte x : b) {
                single.add(new byte[] {x});
            }
            assertThat(decode(c, single)).as("%s byte by byte", c).isEqualTo(whole);
        }
    }

    // ---- encoding ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("okCases")
    void okVectorReEncodesByteExactly(Case c) {
        Decodes d = (Decodes) c.outcome();
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        for (Message m : d.messages()) {
            if (m instanceof Message.Skipped || m instanceof Message.Noise) {
                return; // tolerated messages are never sent by us
            }
            encoded.writeBytes(MessageEncoder.encode(m, c.direction() == SERVER_TO_CLIENT));
        }
        byte[] expected = c.v().bytes();
        byte[] actual = encoded.toByteArray();
        if (d.messages().get(0) instanceof Message.ExtProvide) {
            // zlib output differs between compressors: compare the header and the inflated payload.
            assertThat(Arrays.copyOf(actual, 4)).isEqualTo(Arrays.copyOf(expected, 4));
            assertThat(Arrays.copyOfRange(actual, 8, 12)).isEqualTo(Arrays.copyOfRange(expected, 8, 12));
            assertThat(inflate(Arrays.copyOfRange(actual, 12, actual.length)))
                    .isEqualTo(inflate(Arrays.copyOfRange(expected, 12, expected.length)));
        } else {
            assertThat(Hex.spaced(actual)).isEqualTo(Hex.spaced(expected));
        }
    }

    private static byte[] inflate(byte[] zlib) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(zlib);
            byte[] out = new byte[1 << 16];
            int n = inflater.inflate(out);
            return Arrays.copyOf(out, n);
        } catch (java.util.zip.DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
    }

    @Test
    void everyVectorHasACaseWhoseOutcomeMatchesItsExpectColumn() {
        Set<String> covered = cases().stream().map(Case::vector).collect(Collectors.toSet());
        assertThat(covered)
                .containsExactlyInAnyOrderElementsOf(
                        ProtocolVectors.all().stream().map(Vector::name).toList());
        for (Case c : cases()) {
            String expect = c.v().expect();
            switch (expect) {
                case "ok", "skip", "resync", "drop" -> assertThat(c.outcome())
                        .as(c.toString())
                        .isInstanceOf(Decodes.class);
                case "close" -> assertThat(c.outcome()).as(c.toString()).isNotInstanceOf(Decodes.class);
                default -> throw new AssertionError("unknown expect column " + expect);
            }
            if (!c.v().direction().equals("both")) {
                assertThat(c.direction())
                        .as(c.toString())
                        .isEqualTo(c.v().direction().equals("s2c") ? SERVER_TO_CLIENT : CLIENT_TO_SERVER);
            }
        }
    }

    @Test
    void extendedTextOnTheWireUsesCrLfAndIsDeliveredWithLf() {
        Message.ExtProvide p = (Message.ExtProvide) ((Decodes) cases().stream()
                        .filter(c -> c.vector().equals("ext-provide-crlf"))
                        .findFirst()
                        .orElseThrow()
                        .outcome())
                .messages()
                .get(0);
        assertThat(ClipboardText.fromCrlfWire(p.wireText())).isEqualTo(new ClipboardText("a\nb"));
        assertThat(ClipboardExchange.toExtendedWire(new ClipboardText("a\nb"))).isEqualTo("a\r\nb");
    }

    @Test
    void legacySenderWritesAQuestionMarkForTheEuroSign() {
        StringBuilder wire = new StringBuilder();
        assertThat(ClipboardExchange.toLegacyWire("€", wire)).isTrue();
        assertThat(MessageEncoder.encode(new Message.CutText(wire.toString()), true))
                .isEqualTo(ProtocolVectors.named("server-cut-euro-legacy").bytes());
    }

    // ---- the same vectors through established sessions ----

    static Stream<Case> messageCasesWithSessionOutcome() {
        return cases().stream()
                .filter(c -> c.step() == MESSAGES && !c.v().expect().equals("ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageCasesWithSessionOutcome")
    void establishedSessionGetsTheVectorsOutcome(Case c) {
        SessionPair pair = new SessionPair(SessionConfig.defaults().withExtendedClipboard(c.extended()));
        pair.startServer().startClient().establish(3_000);
        boolean toClient = c.direction() == SERVER_TO_CLIENT;
        Session receiver = toClient ? pair.client : pair.server;
        List<SessionEvent> events = toClient ? pair.clientEvents : pair.serverEvents;
        events.clear();
        byte[] b = c.v().bytes();
        SessionOutput out = receiver.onBytes(b, 0, b.length, pair.now);
        if (toClient) {
            pair.fromClient(out);
        } else {
            pair.fromServer(out);
        }
        switch (c.v().expect()) {
            case "skip" -> {
                assertThat(events).isEmpty();
                assertThat(receiver.isEstablished()).isTrue();
            }
            case "drop" -> {
                assertThat(events)
                        .containsExactly(new SessionEvent.OversizeDropped(ExtendedClipboard.wireCeiling(CAP) + 1, CAP));
                assertThat(receiver.isEstablished()).isTrue();
            }
            case "resync" -> {
                assertThat(events).containsExactly(new SessionEvent.PeerRestarted());
                // Fed to the server, the marker is a restart the client never made: the client takes the
                // security types for a message, stalls, and the two find each other again by the timeouts.
                long took = pair.establish(15_000);
                assertThat(took).isLessThanOrEqualTo(toClient ? 0 : 15_000);
            }
            case "close" -> {
                if (c.outcome() instanceof Fails f) {
                    assertThat(events.get(0)).isEqualTo(new SessionEvent.ProtocolError(f.message()));
                    assertThat(receiver.isEstablished()).isFalse();
                    pair.establish(10_000); // and it recovers
                } else {
                    assertThat(events).isEmpty();
                    pair.advance(config().stallTimeout().toMillis());
                    assertThat(events).containsExactly(new SessionEvent.StalledMessageDropped(b.length));
                    assertThat(SessionPair.texts(events)).isEmpty();
                }
            }
            default -> throw new AssertionError(c.v().expect());
        }
    }

    private static SessionConfig config() {
        return SessionConfig.defaults();
    }
}
