package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Outgoing text waits while the Extended Clipboard may still come on (protocol.md section 4), so a peer never
 * gets a lossy Latin-1 copy just before the whole text; and a closed direction keeps its text off the wire.
 */
class NegotiationHoldTest {

    private static final long GRACE = ClipboardExchange.NEGOTIATION_GRACE_MILLIS;
    private static final byte[] VERSION = Hex.bytes("52 46 42 20 30 30 33 2e 30 30 38 0a");
    private static final String SERVER_INIT = "00 00 00 00 20 18 00 01 00 ff 00 ff 00 ff 10 08 00 00 00 00 00 00 00 00";
    private static final ClipboardText UNICODE = ClipboardText.of("5 € für Ωmega");

    private static SessionOutput feed(Session s, byte[] b, long now) {
        return s.onBytes(b, 0, b.length, now);
    }

    private static byte[] fromClient(Message m) {
        return MessageEncoder.encode(m, false);
    }

    private static byte[] fromServer(Message m) {
        return MessageEncoder.encode(m, true);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A server taken through the handshake up to ClientInit at {@code now}; returns what ClientInit produced. */
    private static SessionOutput serverUpToClientInit(ServerSession server, long now) {
        server.start(0);
        feed(server, VERSION, now);
        feed(server, Hex.bytes("01"), now);
        return feed(server, Hex.bytes("01"), now);
    }

    /** A client taken through the handshake up to ServerInit at {@code now}; returns what ServerInit produced. */
    private static SessionOutput clientUpToServerInit(ClientSession client, long now) {
        client.start(0);
        feed(client, VERSION, now);
        feed(client, Hex.bytes("01 01"), now);
        feed(client, Hex.bytes("00 00 00 00"), now);
        return feed(client, Hex.bytes(SERVER_INIT), now);
    }

    private static List<ClipboardText> textsDeliveredToClient(SessionPair pair) {
        return SessionPair.texts(pair.clientEvents);
    }

    @Test
    void textQueuedOnTheServerBeforeTheClientConnectsArrivesOnceWholeNeverLossyFirst() {
        SessionPair pair = new SessionPair().startServer();
        pair.fromServer(pair.server.sendText(UNICODE, pair.now));
        pair.startClient();

        pair.establish(3_000);
        pair.advance(2 * GRACE);

        assertThat(textsDeliveredToClient(pair)).containsExactly(UNICODE);
    }

    @Test
    void serverHoldsTextFromClientInitUntilTheClientAsksForTheExtension() {
        ServerSession server = new ServerSession(SessionConfig.defaults());
        SessionOutput init = serverUpToClientInit(server, 100);
        SessionOutput queued = server.sendText(UNICODE, 100);

        assertThat(init.toWrite())
                .isEqualTo(fromServer(new Message.ServerInit(
                        0,
                        0,
                        Message.PixelFormat.DEFAULT,
                        SessionConfig.defaults().desktopName())));
        assertThat(queued.toWrite()).isEmpty();
        assertThat(server.nextDeadlineMillis()).isEqualTo(100 + GRACE);

        SessionOutput ext =
                feed(server, fromClient(new Message.SetEncodings(List.of(Rfb.ENCODING_EXTENDED_CLIPBOARD))), 200);

        assertThat(Hex.spaced(ext.toWrite()))
                .isEqualTo(Hex.spaced(concat(
                        fromServer(new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(0L))),
                        fromServer(new Message.ExtNotify(Rfb.FORMAT_TEXT)))));
        assertThat(server.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void serverSendsHeldTextAsLegacyAfterTheGraceWhenTheClientNeverAsks() {
        ServerSession server = new ServerSession(SessionConfig.defaults());
        serverUpToClientInit(server, 100);
        server.sendText(UNICODE, 100);

        assertThat(server.onTick(100 + GRACE - 1).toWrite()).isEmpty();
        assertThat(server.onTick(100 + GRACE).toWrite()).isEqualTo(fromServer(new Message.CutText("5 ? für ?mega")));
        assertThat(server.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void serverSendsHeldTextAsLegacyAtOnceWhenTheClientsFirstMessageIsNoSetEncodings() {
        ServerSession server = new ServerSession(SessionConfig.defaults());
        serverUpToClientInit(server, 100);
        server.sendText(ClipboardText.of("plain"), 100);

        SessionOutput out = feed(server, fromClient(new Message.CutText("from a legacy viewer")), 150);

        assertThat(out.toWrite()).isEqualTo(fromServer(new Message.CutText("plain")));
        assertThat(out.events())
                .as("the viewer's text was sent before ours reached it: it comes first")
                .containsExactly(
                        new SessionEvent.TextReceived(ClipboardText.of("from a legacy viewer")),
                        new SessionEvent.PeerTookText());
    }

    @Test
    void serverWithoutTheExtensionHoldsNothing() {
        ServerSession server = new ServerSession(SessionConfig.defaults().withExtendedClipboard(false));
        server.start(0);
        server.sendText(ClipboardText.of("plain"), 0);
        feed(server, VERSION, 100);
        feed(server, Hex.bytes("01"), 100);

        SessionOutput init = feed(server, Hex.bytes("01"), 100);

        assertThat(init.toWrite())
                .isEqualTo(concat(
                        fromServer(new Message.ServerInit(
                                0,
                                0,
                                Message.PixelFormat.DEFAULT,
                                SessionConfig.defaults().desktopName())),
                        fromServer(new Message.CutText("plain"))));
        assertThat(server.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void clientHoldsTextFromSetEncodingsUntilTheServersCaps() {
        ClientSession client = new ClientSession(SessionConfig.defaults());
        SessionOutput init = clientUpToServerInit(client, 100);
        SessionOutput queued = client.sendText(UNICODE, 100);

        assertThat(Hex.spaced(init.toWrite())).isEqualTo("02 00 00 01 c0 a1 e5 ce");
        assertThat(queued.toWrite()).isEmpty();
        assertThat(client.nextDeadlineMillis()).isEqualTo(100 + GRACE);

        Message.ExtCaps serverCaps = new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(0L));
        SessionOutput caps = feed(client, fromServer(serverCaps), 200);

        assertThat(Hex.spaced(caps.toWrite()))
                .isEqualTo(Hex.spaced(concat(
                        fromClient(new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(1L << 20))),
                        fromClient(new Message.ExtNotify(Rfb.FORMAT_TEXT)))));
        assertThat(client.nextDeadlineMillis()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void clientSendsHeldTextAsLegacyAfterTheGraceAndWholeAgainWhenCapsComeLate() {
        ClientSession client = new ClientSession(SessionConfig.defaults());
        clientUpToServerInit(client, 100);
        client.sendText(UNICODE, 100);

        assertThat(client.onTick(100 + GRACE - 1).toWrite()).isEmpty();
        assertThat(client.onTick(100 + GRACE).toWrite()).isEqualTo(fromClient(new Message.CutText("5 ? für ?mega")));

        Message.ExtCaps serverCaps = new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(0L));
        SessionOutput late = feed(client, fromServer(serverCaps), 5_000);

        assertThat(Hex.spaced(late.toWrite()))
                .isEqualTo(Hex.spaced(concat(
                        fromClient(new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(1L << 20))),
                        fromClient(new Message.ExtNotify(Rfb.FORMAT_TEXT)))));
    }

    @Test
    void clientSendsHeldTextAsLegacyWhenTheServersCapsLackText() {
        ClientSession client = new ClientSession(SessionConfig.defaults());
        clientUpToServerInit(client, 100);
        client.sendText(ClipboardText.of("plain"), 100);

        SessionOutput caps = feed(client, fromServer(new Message.ExtCaps(0, Rfb.ALL_ACTIONS, List.of())), 200);

        assertThat(caps.toWrite()).isEqualTo(fromClient(new Message.CutText("plain")));
        assertThat(client.isExtendedClipboard()).isFalse();
    }

    @Test
    void legacyClientStillGetsServerTextAsLegacyAfterTheGrace() {
        ServerSession server = new ServerSession(SessionConfig.defaults());
        ClientSession client = new ClientSession(SessionConfig.defaults().withExtendedClipboard(false));
        server.start(0);
        server.sendText(UNICODE, 0);
        long now = 0;
        byte[] toClient = new byte[0];
        byte[] toServer = client.start(now).toWrite();
        List<SessionEvent> clientEvents = new java.util.ArrayList<>();
        while (now < 10_000 && SessionPair.texts(clientEvents).isEmpty()) {
            now += 50;
            SessionOutput s = server.onBytes(toServer, 0, toServer.length, now);
            SessionOutput c = client.onBytes(toClient, 0, toClient.length, now);
            toClient = concat(s.toWrite(), server.onTick(now).toWrite());
            toServer = concat(c.toWrite(), client.onTick(now).toWrite());
            clientEvents.addAll(c.events());
        }

        assertThat(SessionPair.texts(clientEvents)).containsExactly(ClipboardText.of("5 ? für ?mega"));
        assertThat(client.isExtendedClipboard()).isFalse();
    }

    @Test
    void closedDom0DirectionPutsOnlyTheNotifyOnTheWire() {
        SessionPair pair = new SessionPair().startServer().startClient();
        pair.establish(3_000);
        pair.advance(2 * GRACE);
        pair.server.setAcceptIncoming(false);
        pair.serverEvents.clear();

        SessionOutput out = pair.client.sendText(ClipboardText.of("x".repeat(8192)), pair.now);

        assertThat(Hex.spaced(out.toWrite())).isEqualTo("06 00 00 00 ff ff ff fc 08 00 00 01");
        pair.fromClient(out);
        pair.deliver();
        assertThat(pair.toServer.size()).isZero();
        assertThat(pair.toClient.size()).isZero();
        assertThat(SessionPair.texts(pair.serverEvents)).isEmpty();
        assertThat(pair.serverEvents).containsExactly(new SessionEvent.PeerAlive());
    }

    @Test
    void openDom0DirectionRequestsTheAnnouncedText() {
        SessionPair pair = new SessionPair().startServer().startClient();
        pair.establish(3_000);
        pair.serverEvents.clear();

        pair.fromClient(pair.client.sendText(ClipboardText.of("x".repeat(8192)), pair.now));
        pair.deliver();

        assertThat(SessionPair.texts(pair.serverEvents)).containsExactly(ClipboardText.of("x".repeat(8192)));
    }
}
