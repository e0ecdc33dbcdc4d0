package org.xenclip.protocol.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionEvent.OversizeDropped;
import org.xenclip.protocol.SessionEvent.PeerClipboardEmpty;
import org.xenclip.protocol.SessionEvent.PeerRestarted;
import org.xenclip.protocol.SessionEvent.ProtocolError;
import org.xenclip.protocol.SessionEvent.StalledMessageDropped;
import org.xenclip.protocol.SessionEvent.TextReceived;
import org.xenclip.protocol.roundtrip.SessionPair.Direction;

/**
 * Clipboard text sent by one session arrives at its peer exactly as profile rule 5 and sections 3-4 of
 * protocol.md say: LF line ends inside the program, the exact text with the Extended Clipboard, Latin-1
 * with '?' for every other code point without it; whole, once, and never as an error, however the byte
 * stream is split.
 */
class TextRoundTripTest {

    /** A small cap keeps "sizes up to the cap" cheap; {@link #oneMebibyteAtTheDefaultCapArrives} covers 1 MiB. */
    private static final long SMALL_CAP = 64 * 1024;

    /** The fake clock starts far from zero so that no deadline arithmetic gets away with assuming 0. */
    private static final long T0 = 1_700_000_000_000L;

    @Property(tries = 300)
    void extendedTextArrivesExactly(
            @ForAll Direction direction, @ForAll("texts") ClipboardText text, @ForAll("chunkings") Chunking chunking) {
        SessionPair pair = established(true, true, SMALL_CAP, chunking);

        pair.send(direction, text);
        pair.pump(chunking.supplier());

        assertDelivered(pair, direction, text, true);
    }

    @Property(tries = 300)
    void legacyTextArrivesAsLatin1WithQuestionMarks(
            @ForAll Direction direction,
            @ForAll("texts") ClipboardText text,
            @ForAll("chunkings") Chunking chunking,
            @ForAll("legacyModes") boolean[] extendedOffered) {
        SessionPair pair = established(extendedOffered[0], extendedOffered[1], SMALL_CAP, chunking);

        pair.send(direction, text);
        pair.pump(chunking.supplier());

        assertDelivered(pair, direction, TextModel.legacy(text), false);
    }

    /** Section 4 says either side may send first; both directions at once must not disturb each other. */
    @Property(tries = 200)
    void textsCrossingInFlightBothArrive(
            @ForAll boolean extended,
            @ForAll("texts") ClipboardText fromServer,
            @ForAll("texts") ClipboardText fromClient,
            @ForAll("chunkings") Chunking chunking) {
        SessionPair pair = established(extended, extended, SMALL_CAP, chunking);

        pair.send(Direction.SERVER_TO_CLIENT, fromServer);
        pair.send(Direction.CLIENT_TO_SERVER, fromClient);
        pair.pump(chunking.supplier());

        List<SessionEvent> atClient = pair.takeClientEvents();
        List<SessionEvent> atServer = pair.takeServerEvents();
        assertClean(atClient);
        assertClean(atServer);
        assertThat(contentOf(atClient, extended))
                .as("text from the server")
                .containsExactly((extended ? fromServer : TextModel.legacy(fromServer)).text());
        assertThat(contentOf(atServer, extended))
                .as("text from the client")
                .containsExactly((extended ? fromClient : TextModel.legacy(fromClient)).text());
    }

    @Property(tries = 100)
    void successiveTextsArriveInOrder(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll("textSequences") List<ClipboardText> texts,
            @ForAll("chunkings") Chunking chunking) {
        SessionPair pair = established(extended, extended, SMALL_CAP, chunking);
        List<SessionEvent> received = new ArrayList<>();

        for (ClipboardText text : texts) {
            pair.send(direction, text);
            pair.pump(chunking.supplier());
            received.addAll(pair.takeReceiverEvents(direction));
        }

        assertClean(received);
        List<String> expected = texts.stream()
                .map(t -> (extended ? t : TextModel.legacy(t)).text())
                .toList();
        assertThat(contentOf(received, extended)).containsExactlyElementsOf(expected);
    }

    /**
     * Texts sent faster than the peer reads may be coalesced (a clipboard only keeps its latest value), but
     * what arrives is always one of the texts sent, whole, and the last one arrives last.
     */
    @Property(tries = 100)
    void burstOfTextsEndsWithTheLatest(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll("textSequences") List<ClipboardText> texts,
            @ForAll("chunkings") Chunking chunking) {
        SessionPair pair = established(extended, extended, SMALL_CAP, chunking);

        for (ClipboardText text : texts) {
            pair.send(direction, text);
        }
        pair.pump(chunking.supplier());

        List<SessionEvent> received = pair.takeReceiverEvents(direction);
        assertClean(received);
        List<String> expected = texts.stream()
                .map(t -> (extended ? t : TextModel.legacy(t)).text())
                .toList();
        List<String> content = contentOf(received, extended);
        assertThat(content).isNotEmpty();
        assertThat(expected).containsAll(content);
        assertThat(content.get(content.size() - 1)).isEqualTo(expected.get(expected.size() - 1));
    }

    /**
     * Session.sendText: before the handshake the text is kept and sent once established. It may first travel
     * as legacy text if the extension is not on yet when the handshake ends (section 4), and be sent again
     * exactly once it is; what the peer holds in the end is the exact text whenever the extension is on.
     */
    @Property(tries = 200)
    void textSentBeforeTheHandshakeArrivesOnceEstablished(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll("texts") ClipboardText text,
            @ForAll("chunkings") Chunking chunking) {
        SessionPair pair = new SessionPair(config(extended, SMALL_CAP), config(extended, SMALL_CAP), T0);
        pair.start();
        pair.send(direction, text);

        pair.establish(chunking.supplier());
        pair.pump(chunking.supplier());

        List<SessionEvent> received = pair.takeReceiverEvents(direction);
        assertClean(received);
        List<String> content = contentOf(received, true);
        assertThat(content)
                .isNotEmpty()
                .allMatch(c ->
                        c.equals(text.text()) || c.equals(TextModel.legacy(text).text()));
        assertThat(content.get(content.size() - 1))
                .as("what the peer holds in the end")
                .isEqualTo((extended ? text : TextModel.legacy(text)).text());
    }

    /**
     * Rule 4 counts the cap in encoded bytes and {@link ClipboardText#utf8Size()} is "the unit every size
     * limit counts in": a text of exactly the cap is sent and delivered, never dropped as oversize, in
     * either mode and direction, whatever its share of line ends (CRLF and the NUL grow it on the wire).
     */
    @Property(tries = 150)
    void textOfExactlyTheCapArrives(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll @IntRange(min = 16, max = 8192) int cap,
            @ForAll("rawTexts") String prefix,
            @ForAll("chunkings") Chunking chunking) {
        ClipboardText text = TextModel.desktopText(padToUtf8Size(prefix, cap));
        assertThat(text.utf8Size()).isEqualTo(cap);
        SessionPair pair = established(extended, extended, cap, chunking);

        pair.send(direction, text);
        pair.pump(chunking.supplier());

        assertDelivered(pair, direction, extended ? text : TextModel.legacy(text), extended);
    }

    @Property(tries = 100)
    void textOverTheCapIsRefusedBySendText(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll @IntRange(min = 16, max = 4096) int cap,
            @ForAll @IntRange(min = 1, max = 64) int excess) {
        ClipboardText text = new ClipboardText("x".repeat(cap + excess));
        SessionPair pair = established(extended, extended, cap, Chunking.WHOLE);

        assertThatThrownBy(() -> pair.send(direction, text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(cap + excess))
                .hasMessageContaining(String.valueOf(cap));
        pair.pump();
        assertThat(contentOf(pair.takeReceiverEvents(direction), true)).isEmpty();
    }

    /**
     * Rule 8 drops a message whose bytes stop arriving for the stall timeout; a slow link whose bytes keep
     * coming, however long the whole message takes, must still deliver it.
     */
    @Property(tries = 100)
    void slowTransferWithinTheStallTimeoutArrives(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll("texts") ClipboardText text,
            @ForAll @IntRange(min = 1, max = 32) int chunk,
            @ForAll @IntRange(min = 0, max = 1900) int stepMillis) {
        assertThat(SessionConfig.DEFAULT_STALL_TIMEOUT.toMillis()).isGreaterThan(1900);
        SessionPair pair = established(extended, extended, SMALL_CAP, Chunking.WHOLE);

        pair.send(direction, text);
        pair.pumpSlowly(() -> chunk, stepMillis);

        assertDelivered(pair, direction, extended ? text : TextModel.legacy(text), extended);
    }

    /** Session.setAcceptIncoming(false): received text is dropped without an event, and nothing breaks. */
    @Property(tries = 100)
    void refusedDirectionDeliversNothingUntilReopened(
            @ForAll Direction direction,
            @ForAll boolean extended,
            @ForAll("texts") ClipboardText refused,
            @ForAll("texts") ClipboardText accepted,
            @ForAll("chunkings") Chunking chunking) {
        net.jqwik.api.Assume.that(!refused.equals(accepted));
        SessionPair pair = established(extended, extended, SMALL_CAP, chunking);
        receiver(pair, direction).setAcceptIncoming(false);

        pair.send(direction, refused);
        pair.pump(chunking.supplier());
        List<SessionEvent> whileRefused = pair.takeReceiverEvents(direction);
        assertClean(whileRefused);
        assertThat(whileRefused).noneMatch(TextReceived.class::isInstance);

        receiver(pair, direction).setAcceptIncoming(true);
        pair.send(direction, accepted);
        pair.pump(chunking.supplier());
        assertDelivered(pair, direction, extended ? accepted : TextModel.legacy(accepted), extended);
    }

    /** Rule 7: with the extension on, a peek from the server is answered by a live client with a notify. */
    @Property(tries = 50)
    void heartbeatIsAnsweredWithoutMovingText(
            @ForAll("texts") ClipboardText clientText, @ForAll("chunkings") Chunking chunking) {
        SessionPair pair = established(true, true, SMALL_CAP, chunking);
        pair.send(Direction.CLIENT_TO_SERVER, clientText);
        pair.pump(chunking.supplier());
        pair.takeServerEvents();
        pair.takeClientEvents();

        pair.serverSends(pair.server().sendHeartbeat(pair.now()));
        pair.pump(chunking.supplier());

        List<SessionEvent> atServer = pair.takeServerEvents();
        List<SessionEvent> atClient = pair.takeClientEvents();
        assertClean(atServer);
        assertClean(atClient);
        assertThat(atServer).anyMatch(SessionEvent.PeerAlive.class::isInstance);
        assertThat(contentOf(atClient, true))
                .as("a peek moves no text to the client")
                .isEmpty();
    }

    private static org.xenclip.protocol.Session receiver(SessionPair pair, Direction direction) {
        return direction == Direction.SERVER_TO_CLIENT ? pair.client() : pair.server();
    }

    @Example
    void oneMebibyteAtTheDefaultCapArrives() {
        // 1 MiB exactly: emoji, CJK, Latin-1, line ends; a 1-byte remainder padded with 'a'.
        String unit = "日本語 \uD83D\uDE00 héllo €\n";
        ClipboardText text = TextModel.desktopText(
                padToUtf8Size(unit.repeat((int) (SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES / 30)), (int)
                        SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES));
        assertThat(text.utf8Size()).isEqualTo(SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES);
        Chunking chunking = new Chunking(List.of(1, 4093, 65536, 7));
        for (boolean extended : new boolean[] {true, false}) {
            for (Direction direction : Direction.values()) {
                SessionPair pair = new SessionPair(
                        SessionConfig.defaults().withExtendedClipboard(extended),
                        SessionConfig.defaults().withExtendedClipboard(extended),
                        T0);
                pair.start();
                pair.establish(chunking.supplier());
                pair.takeServerEvents();
                pair.takeClientEvents();

                pair.send(direction, text);
                pair.pump(chunking.supplier());

                assertDelivered(pair, direction, extended ? text : TextModel.legacy(text), extended);
            }
        }
    }

    @Example
    void emptyTextArrivesAsEmpty() {
        for (boolean extended : new boolean[] {true, false}) {
            for (Direction direction : Direction.values()) {
                SessionPair pair = established(extended, extended, SMALL_CAP, Chunking.WHOLE);
                pair.send(direction, new ClipboardText("a"));
                pair.pump();
                pair.takeReceiverEvents(direction);

                pair.send(direction, ClipboardText.EMPTY);
                pair.pump();

                assertDelivered(pair, direction, ClipboardText.EMPTY, extended);
            }
        }
    }

    // --- helpers --------------------------------------------------------------------------------------

    private static SessionConfig config(boolean extended, long cap) {
        return SessionConfig.defaults().withExtendedClipboard(extended).withMaxPayloadBytes(cap);
    }

    /** A started pair, pumped to an established session, whose extension state is checked. */
    static SessionPair established(boolean serverExtended, boolean clientExtended, long cap, Chunking chunking) {
        SessionPair pair = new SessionPair(config(serverExtended, cap), config(clientExtended, cap), T0);
        pair.start();
        pair.establish(chunking.supplier());
        boolean extended = serverExtended && clientExtended;
        if (!extended) {
            // A side that asked for or offers the extension holds text for the negotiation grace (1 s,
            // protocol.md section 4) before it settles for legacy cut text.
            pair.advance(1_000);
        }
        assertThat(pair.server().isExtendedClipboard())
                .as("server extension on (server offers %s, client asks %s)", serverExtended, clientExtended)
                .isEqualTo(extended);
        assertThat(pair.client().isExtendedClipboard())
                .as("client extension on (server offers %s, client asks %s)", serverExtended, clientExtended)
                .isEqualTo(extended);
        assertClean(pair.takeServerEvents());
        assertClean(pair.takeClientEvents());
        return pair;
    }

    /**
     * The receiver reported exactly the expected text once, nothing broke on either side. With the extension
     * an empty clipboard may be announced as a notify without the text format (PeerClipboardEmpty).
     */
    private static void assertDelivered(
            SessionPair pair, Direction direction, ClipboardText expected, boolean extended) {
        List<SessionEvent> received = pair.takeReceiverEvents(direction);
        assertClean(received);
        assertThat(contentOf(received, extended))
                .as("clipboard content delivered (%s, extended %s)", direction, extended)
                .containsExactly(expected.text());
        List<SessionEvent> senderSide =
                direction == Direction.SERVER_TO_CLIENT ? pair.takeServerEvents() : pair.takeClientEvents();
        assertClean(senderSide);
        assertThat(contentOf(senderSide, true))
                .as("the sender received no clipboard back")
                .isEmpty();
    }

    /**
     * TextReceived texts, with PeerClipboardEmpty counted as the empty text when the extension is on. As
     * strings, so that a failure shows the generated (never a user's) text.
     */
    private static List<String> contentOf(List<SessionEvent> events, boolean emptyNotifyCounts) {
        List<String> content = new ArrayList<>();
        for (SessionEvent e : events) {
            if (e instanceof TextReceived t) {
                content.add(t.text().text());
            } else if (e instanceof PeerClipboardEmpty && emptyNotifyCounts) {
                content.add("");
            }
        }
        return content;
    }

    static void assertClean(List<SessionEvent> events) {
        assertThat(events)
                .as("no protocol error, oversize, stall or restart between two healthy sessions")
                .noneMatch(e -> e instanceof ProtocolError
                        || e instanceof OversizeDropped
                        || e instanceof StalledMessageDropped
                        || e instanceof PeerRestarted);
    }

    /** Cuts {@code prefix} to at most {@code size} UTF-8 bytes on a code point boundary, then pads with 'a'. */
    static String padToUtf8Size(String prefix, int size) {
        StringBuilder sb = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < prefix.length(); ) {
            int cp = prefix.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > size) {
                break;
            }
            sb.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        // ASCII padding: one UTF-8 byte per 'a'.
        String s = TextModel.desktopText(sb.toString()).text();
        int len = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return s + "a".repeat(size - len);
    }

    // --- generators -----------------------------------------------------------------------------------

    @Provide
    Arbitrary<ClipboardText> texts() {
        return TextModel.texts(2000);
    }

    @Provide
    Arbitrary<String> rawTexts() {
        return TextModel.rawTexts(3000);
    }

    @Provide
    Arbitrary<List<ClipboardText>> textSequences() {
        return TextModel.texts(200).list().ofMinSize(1).ofMaxSize(5).filter(list -> {
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).equals(list.get(i - 1))) {
                    return false; // a repeated value is no clipboard change (rule 6)
                }
            }
            return true;
        });
    }

    /** Which side offers the extension when the outcome must be legacy: {server, client}. */
    @Provide
    Arbitrary<boolean[]> legacyModes() {
        return Arbitraries.of(new boolean[] {false, false}, new boolean[] {true, false}, new boolean[] {false, true});
    }

    @Provide
    Arbitrary<Chunking> chunkings() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Chunking.WHOLE)),
                Tuple.of(
                        3,
                        Arbitraries.integers()
                                .between(1, 64)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(8)
                                .map(Chunking::new)),
                Tuple.of(
                        1,
                        Combinators.combine(
                                        Arbitraries.integers().between(1, 3),
                                        Arbitraries.integers().between(100, 5000))
                                .as((a, b) -> new Chunking(List.of(a, b)))));
    }

    /** How the byte stream is cut: the sizes of successive deliveries, repeated cyclically. */
    record Chunking(List<Integer> sizes) {
        static final Chunking WHOLE = new Chunking(List.of(Integer.MAX_VALUE));

        Chunking {
            sizes = List.copyOf(sizes);
        }

        IntSupplier supplier() {
            int[] next = {0};
            return () -> sizes.get(next[0]++ % sizes.size());
        }
    }
}
