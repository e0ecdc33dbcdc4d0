package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The clipboard exchange of established sessions: provide or notify, request, peek, limits and refusals. */
class ExtendedExchangeTest {

    private static SessionPair established(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startServer().startClient();
        pair.establish(3_000);
        pair.serverEvents.clear();
        pair.clientEvents.clear();
        return pair;
    }

    private static SessionPair established() {
        return established(SessionConfig.defaults());
    }

    /** Bytes as the client would send them, fed straight to the server. */
    private static void clientSays(SessionPair pair, Message m) {
        byte[] b = MessageEncoder.encode(m, false);
        pair.fromServer(pair.server.onBytes(b, 0, b.length, pair.now));
    }

    private static void serverSaysRaw(SessionPair pair, byte[] b) {
        pair.fromClient(pair.client.onBytes(b, 0, b.length, pair.now));
    }

    private static byte[] extended(boolean fromServer, int flags, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(fromServer ? 3 : 6);
        out.writeBytes(new byte[3]);
        ExtendedClipboard.writeInt(out, -(body.length + 4));
        ExtendedClipboard.writeInt(out, flags);
        out.writeBytes(body);
        return out.toByteArray();
    }

    @Test
    void bothSidesReportTheExtensionAfterReportingTheHandshake() {
        SessionPair pair = new SessionPair().startServer().startClient();
        pair.establish(3_000);

        assertThat(pair.serverEvents)
                .containsExactly(new SessionEvent.Established(false), new SessionEvent.Established(true));
        assertThat(pair.clientEvents)
                .containsExactly(new SessionEvent.Established(false), new SessionEvent.Established(true));
    }

    @Test
    void textOverThePeersUnsolicitedLimitGoesAsNotifyAndIsProvidedOnRequest() {
        SessionPair pair = established();
        clientSays(pair, new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(10L)));

        SessionOutput out = pair.server.sendText(ClipboardText.of("longer than ten bytes"), pair.now);

        assertThat(Hex.spaced(out.toWrite())).isEqualTo("03 00 00 00 ff ff ff fc 08 00 00 01");
        pair.fromServer(out);
        pair.deliver();
        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("longer than ten bytes"));
    }

    @Test
    void serverWaitsForTheRequestEvenWithinTheClientsUnsolicitedLimitAndSaysWhenTheClientTookIt() {
        SessionPair pair = established();
        SessionOutput out = pair.server.sendText(ClipboardText.of("short"), pair.now);

        // the notify only: the request that answers it tells dom0 the agent has seen the text
        assertThat(Hex.spaced(out.toWrite())).isEqualTo("03 00 00 00 ff ff ff fc 08 00 00 01");
        assertThat(out.events()).isEmpty();
        pair.fromServer(out);
        pair.deliverToClient(Integer.MAX_VALUE);
        pair.deliverToServer(Integer.MAX_VALUE);
        assertThat(pair.serverEvents).containsExactly(new SessionEvent.PeerTookText());
        pair.deliver();
        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("short"));
    }

    @Test
    void textsAnnouncedAtTheSameMomentAreReportedAsCrossedOnTheServer() {
        SessionPair pair = established();
        // both copy at the same moment: the two notifies cross on the wire
        pair.fromServer(pair.server.sendText(ClipboardText.of("dom0 copy"), pair.now));
        pair.fromClient(pair.client.sendText(ClipboardText.of("guest copy"), pair.now));
        pair.deliver();

        assertThat(pair.serverEvents)
                .filteredOn(e -> e instanceof SessionEvent.TextReceived || e instanceof SessionEvent.PeerTookText)
                .containsExactly(
                        new SessionEvent.PeerTookText(),
                        new SessionEvent.TextReceived(ClipboardText.of("guest copy"), true));
        assertThat(pair.clientEvents)
                .filteredOn(e -> e instanceof SessionEvent.TextReceived)
                .as("a fact both sides see; only dom0 acts on it")
                .containsExactly(new SessionEvent.TextReceived(ClipboardText.of("dom0 copy"), true));
    }

    @Test
    void ourTextAnnouncedWhileThePeersWasOnItsWayMakesThePeersCrossed() {
        SessionPair pair = established();
        pair.fromClient(pair.client.sendText(ClipboardText.of("guest copy"), pair.now));
        pair.deliverToServer(Integer.MAX_VALUE); // its notify: dom0 asks for the text
        pair.fromServer(pair.server.sendText(ClipboardText.of("dom0 copy"), pair.now));
        pair.deliver();

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("dom0 copy"));
        assertThat(pair.serverEvents).contains(new SessionEvent.TextReceived(ClipboardText.of("guest copy"), true));
    }

    @Test
    void aClientCopyAfterItTookOursIsNotCrossed() {
        SessionPair pair = established();
        pair.fromServer(pair.server.sendText(ClipboardText.of("dom0 copy"), pair.now));
        pair.deliver();
        pair.serverEvents.clear();
        pair.fromClient(pair.client.sendText(ClipboardText.of("guest copy"), pair.now));
        pair.deliver();

        assertThat(pair.serverEvents)
                .filteredOn(e -> e instanceof SessionEvent.TextReceived)
                .containsExactly(new SessionEvent.TextReceived(ClipboardText.of("guest copy")));
    }

    @Test
    void heartbeatPeekIsAnsweredWithNotifyAndReportedAsAliveWithoutATransfer() {
        SessionPair pair = established();
        pair.fromClient(pair.client.sendText(ClipboardText.of("guest text"), pair.now));
        pair.deliver();
        pair.serverEvents.clear();

        SessionOutput peek = pair.server.sendHeartbeat(pair.now);
        assertThat(Hex.spaced(peek.toWrite())).isEqualTo("03 00 00 00 ff ff ff fc 04 00 00 00");
        pair.fromServer(peek);
        pair.deliverToClient(Integer.MAX_VALUE);
        assertThat(Hex.spaced(pair.toServer.toByteArray())).isEqualTo("06 00 00 00 ff ff ff fc 08 00 00 01");
        pair.deliver();

        assertThat(pair.serverEvents).containsExactly(new SessionEvent.PeerAlive());
        assertThat(pair.toClient.size()).as("no request for a heartbeat answer").isZero();
    }

    @Test
    void heartbeatIsNotSentWithoutTheExtension() {
        SessionPair pair = established(SessionConfig.defaults().withExtendedClipboard(false));
        assertThat(pair.server.sendHeartbeat(pair.now).isEmpty()).isTrue();
        ServerSession fresh = new ServerSession(SessionConfig.defaults());
        assertThat(fresh.sendHeartbeat(0).isEmpty()).isTrue();
    }

    @Test
    void notifyWithoutTextReportsAnEmptyPeerClipboard() {
        SessionPair pair = established();
        clientSays(pair, new Message.ExtNotify(0));
        assertThat(pair.serverEvents)
                .containsExactly(new SessionEvent.PeerAlive(), new SessionEvent.PeerClipboardEmpty());
    }

    @Test
    void requestWithNothingOfferedIsAnsweredWithAnEmptyNotify() {
        SessionPair pair = established();
        clientSays(pair, new Message.ExtRequest(Rfb.FORMAT_TEXT));
        assertThat(Hex.spaced(pair.toClient.toByteArray())).isEqualTo("03 00 00 00 ff ff ff fc 08 00 00 00");
        pair.toClient.reset();
        clientSays(pair, new Message.ExtRequest(1 << 2)); // html only: nothing to say
        assertThat(pair.toClient.size()).isZero();
    }

    @Test
    void peekWithNothingOfferedIsAnsweredWithAnEmptyNotify() {
        SessionPair pair = established();
        serverSaysRaw(pair, MessageEncoder.encode(new Message.ExtPeek(0), true));
        assertThat(Hex.spaced(pair.toServer.toByteArray())).isEqualTo("06 00 00 00 ff ff ff fc 08 00 00 00");
    }

    @Test
    void closedDirectionSendsNoRequestAndDropsReceivedText() {
        SessionPair pair = established();
        pair.client.setAcceptIncoming(false);
        pair.server.setAcceptIncoming(false);

        pair.fromServer(pair.server.sendText(ClipboardText.of("unwanted"), pair.now));
        clientSays(pair, new Message.ExtNotify(Rfb.FORMAT_TEXT));
        clientSays(pair, new Message.ExtNotify(0));
        clientSays(pair, new Message.CutText("legacy unwanted"));
        pair.deliver();

        assertThat(SessionPair.texts(pair.clientEvents)).isEmpty();
        assertThat(pair.serverEvents).containsOnly(new SessionEvent.PeerAlive());
        assertThat(pair.toClient.size()).isZero();
    }

    @Test
    void textQueuedBeforeTheExtensionIsSentOnceWholeNotLossyFirst() {
        SessionPair pair = new SessionPair().startServer().startClient();
        pair.fromServer(pair.server.sendText(ClipboardText.of("5 €"), pair.now));
        pair.establish(3_000);
        pair.advance(2 * ClipboardExchange.NEGOTIATION_GRACE_MILLIS);

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("5 €"));
    }

    @Test
    void legacyTextOverTheLimitIsDrainedReportedAndTheSessionCarriesOn() {
        SessionConfig small =
                SessionConfig.defaults().withExtendedClipboard(false).withMaxPayloadBytes(10);
        SessionPair pair = new SessionPair(small).startServer().startClient();
        pair.establish(3_000);
        byte[] big = MessageEncoder.encode(new Message.CutText("x".repeat(20_000)), true);
        byte[] next = MessageEncoder.encode(new Message.CutText("fits"), true);

        // split into small reads, as a slow ring delivers them
        byte[] all = SessionPair.concat(big, next);
        for (int pos = 0; pos < all.length; pos += 1000) {
            serverSaysRaw(pair, java.util.Arrays.copyOfRange(all, pos, Math.min(all.length, pos + 1000)));
        }

        assertThat(pair.clientEvents)
                .contains(new SessionEvent.OversizeDropped(20_000, 10))
                .contains(new SessionEvent.TextReceived(ClipboardText.of("fits")));
        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("fits"));
        assertThat(pair.client.isEstablished()).isTrue();
    }

    @Test
    void extendedMessageOverTheLimitIsDrainedReportedAndTheSessionCarriesOn() {
        SessionPair pair = established(SessionConfig.defaults().withMaxPayloadBytes(100));
        serverSaysRaw(pair, extended(true, Rfb.ACTION_PROVIDE | Rfb.FORMAT_TEXT, new byte[500]));
        assertThat(pair.clientEvents).containsExactly(new SessionEvent.OversizeDropped(504, 100));
        assertThat(pair.client.isEstablished()).isTrue();
    }

    @Test
    void sendTextOverTheLimitIsRefused() {
        ClientSession client = new ClientSession(SessionConfig.defaults().withMaxPayloadBytes(4));
        assertThatThrownBy(() -> client.sendText(ClipboardText.of("héllo"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clipboard text size 6 exceeds limit 4");
    }

    @Test
    void provideStreamFlushedButNotFinishedIsAccepted() {
        SessionPair pair = established();
        byte[] payload = ExtendedClipboard.providePayload("flushed\r\nonly");
        Deflater deflater = new Deflater();
        deflater.setInput(payload);
        byte[] zlib = new byte[256];
        int n = deflater.deflate(zlib, 0, zlib.length, Deflater.SYNC_FLUSH);
        deflater.end();

        serverSaysRaw(pair, extended(true, Rfb.ACTION_PROVIDE | Rfb.FORMAT_TEXT, java.util.Arrays.copyOf(zlib, n)));

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("flushed\nonly"));
    }

    @Test
    void provideWithOtherFormatsDeliversOnlyTheText() {
        SessionPair pair = established();
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes(ExtendedClipboard.providePayload("plain"));
        byte[] rtf = "{\\rtf1 x}".getBytes(StandardCharsets.US_ASCII);
        ExtendedClipboard.writeInt(payload, rtf.length);
        payload.writeBytes(rtf);

        serverSaysRaw(
                pair,
                extended(
                        true,
                        Rfb.ACTION_PROVIDE | Rfb.FORMAT_TEXT | 2,
                        ExtendedClipboard.deflate(payload.toByteArray())));

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("plain"));
    }

    @Test
    void malformedExtendedContentIsReportedWithoutLeavingTheSession() {
        SessionPair pair = established();
        serverSaysRaw(pair, extended(true, Rfb.ACTION_PROVIDE | Rfb.FORMAT_TEXT, new byte[] {1, 2, 3, 4}));
        serverSaysRaw(pair, extended(true, Rfb.ACTION_CAPS | Rfb.FORMAT_TEXT | 2, new byte[4]));
        serverSaysRaw(
                pair,
                extended(true, Rfb.ACTION_PROVIDE | Rfb.FORMAT_TEXT, ExtendedClipboard.deflate(new byte[] {0, 0})));
        serverSaysRaw(pair, extended(true, Rfb.ACTION_PROVIDE | Rfb.FORMAT_TEXT, ExtendedClipboard.deflate(new byte[] {
            0, 0, 0, 9, 'a'
        })));
        serverSaysRaw(pair, extended(true, 1 << 30, new byte[0])); // no action we know: ignored

        assertThat(SessionPair.ofType(pair.clientEvents, SessionEvent.ProtocolError.class))
                .extracting(SessionEvent.ProtocolError::message)
                .containsExactly(
                        "extended provide zlib data corrupt: incorrect header check",
                        "extended caps size list of 4 bytes below the 8 its 2 formats need",
                        "extended provide of format bit 0 has 2 bytes, below the 4 of its size field",
                        "extended provide entry size 9 exceeds the 1 inflated bytes left");
        assertThat(pair.client.isEstablished()).isTrue();
        assertTextArrives(pair);
    }

    private static void assertTextArrives(SessionPair pair) {
        pair.clientEvents.clear();
        pair.fromServer(pair.server.sendText(ClipboardText.of("still fine"), pair.now));
        pair.deliver();
        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("still fine"));
    }

    @Test
    void serverWithoutTheExtensionIgnoresTheRequestAndStaysLegacy() {
        SessionPair pair = new SessionPair(SessionConfig.defaults());
        pair.server = new ServerSession(SessionConfig.defaults().withExtendedClipboard(false));
        pair.fromServer(pair.server.start(pair.now));
        pair.startClient();
        pair.runUntil(pair::bothEstablished, 3_000);
        pair.advance(100);

        assertThat(pair.server.isExtendedClipboard()).isFalse();
        assertThat(pair.client.isExtendedClipboard()).isFalse();
        pair.fromServer(pair.server.sendText(ClipboardText.of("€"), pair.now));
        pair.deliver();
        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("?"));
    }

    @Test
    void emptyTextRoundTripsAsTextInBothModes() {
        for (boolean ext : new boolean[] {true, false}) {
            SessionPair pair = established(SessionConfig.defaults().withExtendedClipboard(ext));
            pair.fromClient(pair.client.sendText(ClipboardText.EMPTY, pair.now));
            pair.deliver();
            assertThat(SessionPair.texts(pair.serverEvents)).containsExactly(ClipboardText.EMPTY);
        }
    }

    @Test
    void textWithNulCarriageReturnsAndAstralCharactersRoundTrips() {
        SessionPair pair = established();
        ClipboardText text = ClipboardText.of("a\u0000b\rc\n\n😀\r");
        pair.fromClient(pair.client.sendText(text, pair.now));
        pair.deliver();
        assertThat(SessionPair.texts(pair.serverEvents)).containsExactly(text);
    }

    @Test
    void textOfExactlyTheCapRoundTripsInBothModesEvenWhenAllLineBreaks() {
        for (boolean ext : new boolean[] {true, false}) {
            SessionConfig config =
                    SessionConfig.defaults().withMaxPayloadBytes(1000).withExtendedClipboard(ext);
            SessionPair pair = established(config);
            ClipboardText lines = ClipboardText.of("\n".repeat(1000));
            ClipboardText mixed = ClipboardText.of("€\n".repeat(250));
            assertThat(mixed.utf8Size()).isEqualTo(1000);

            pair.fromServer(pair.server.sendText(lines, pair.now));
            pair.deliver();
            pair.fromServer(pair.server.sendText(mixed, pair.now));
            pair.deliver();

            assertThat(SessionPair.texts(pair.clientEvents))
                    .containsExactly(lines, ext ? mixed : ClipboardText.of("?\n".repeat(250)));
        }
    }

    @Test
    void extendedTextOverTheReceiversCapIsDroppedWholeAfterItsRequest() {
        SessionPair pair = new SessionPair();
        pair.server = new ServerSession(SessionConfig.defaults());
        pair.fromServer(pair.server.start(pair.now));
        pair.client = new ClientSession(SessionConfig.defaults().withMaxPayloadBytes(100));
        pair.fromClient(pair.client.start(pair.now));
        pair.runUntil(pair::bothExtended, 3_000);
        pair.clientEvents.clear();

        pair.fromServer(pair.server.sendText(ClipboardText.of("x".repeat(150)), pair.now));
        pair.deliver();

        assertThat(pair.clientEvents).containsExactly(new SessionEvent.OversizeDropped(150, 100));
        assertThat(pair.client.isEstablished()).isTrue();
    }
}
