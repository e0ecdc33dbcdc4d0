package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One session at a time, fed by hand on a fake clock: the handshake steps, timers and their back-off. */
class HandshakeTimingTest {

    private static final byte[] VERSION = Hex.bytes("52 46 42 20 30 30 33 2e 30 30 38 0a");
    private static final SessionConfig CONFIG = SessionConfig.defaults();
    private static final long SPEAK = CONFIG.speakFirstAfter().toMillis();
    private static final long HANDSHAKE = CONFIG.handshakeTimeout().toMillis();
    private static final long STALL = CONFIG.stallTimeout().toMillis();

    private static SessionOutput feed(Session s, String hex, long now) {
        byte[] b = Hex.bytes(hex);
        return s.onBytes(b, 0, b.length, now);
    }

    private static SessionOutput feed(Session s, byte[] b, long now) {
        return s.onBytes(b, 0, b.length, now);
    }

    /** Times at which the session wrote a version, ticking it at every deadline up to {@code until}. */
    private static List<Long> versionTimes(Session s, long from, long until) {
        List<Long> times = new ArrayList<>();
        for (long now = s.nextDeadlineMillis(); now <= until; now = s.nextDeadlineMillis()) {
            SessionOutput out = s.onTick(now);
            if (out.toWrite().length == 12) {
                assertThat(out.toWrite()).isEqualTo(VERSION);
                times.add(now - from);
            }
        }
        return times;
    }

    @Test
    void clientSpeaksFirstAfterTheSilenceAndRepeatsWithBackOffWhileNothingArrives() {
        ClientSession client = new ClientSession(CONFIG);
        assertThat(client.start(0).isEmpty()).isTrue();
        assertThat(client.onTick(SPEAK - 1).isEmpty()).isTrue();

        assertThat(versionTimes(client, 0, 62_000))
                .containsExactly(SPEAK, 3 * SPEAK, 7 * SPEAK, 15 * SPEAK, 23 * SPEAK, 31 * SPEAK);
    }

    @Test
    void clientThatSpokeFirstAcceptsSecurityTypesDirectly() {
        ClientSession client = new ClientSession(CONFIG);
        client.start(0);
        client.onTick(SPEAK);

        assertThat(feed(client, "01 01", SPEAK + 10).toWrite()).isEqualTo(Hex.bytes("01"));
        assertThat(feed(client, "00 00 00 00", SPEAK + 20).toWrite()).isEqualTo(Hex.bytes("01"));
        SessionOutput init =
                feed(client, "00 00 00 00 20 18 00 01 00 ff 00 ff 00 ff 10 08 00 00 00 00 00 00 00 00", SPEAK + 30);

        assertThat(Hex.spaced(init.toWrite())).isEqualTo("02 00 00 01 c0 a1 e5 ce");
        assertThat(init.events()).containsExactly(new SessionEvent.Established(false));
        assertThat(client.isEstablished()).isTrue();
        // Only the grace timer is left: outgoing text waits for the server's caps (section 4).
        assertThat(client.nextDeadlineMillis()).isEqualTo(SPEAK + 30 + ClipboardExchange.NEGOTIATION_GRACE_MILLIS);
    }

    @Test
    void clientSkipsASecondSecurityTypesListAnsweringARepeatedVersion() {
        ClientSession client = new ClientSession(CONFIG.withExtendedClipboard(false));
        client.start(0);
        SessionOutput out = feed(
                client,
                "52 46 42 20 30 30 33 2e 30 30 38 0a 01 01 01 01 00 00 00 00"
                        + " 00 00 00 00 20 18 00 01 00 ff 00 ff 00 ff 10 08 00 00 00 00 00 00 00 00",
                5);

        assertThat(Hex.spaced(out.toWrite())).isEqualTo("52 46 42 20 30 30 33 2e 30 30 38 0a 01 01");
        assertThat(out.events()).containsExactly(new SessionEvent.Established(false));
    }

    @Test
    void clientHandshakeWithoutProgressGoesBackToScanningAndSpeaksFirstAgain() {
        ClientSession client = new ClientSession(CONFIG);
        client.start(0);
        assertThat(feed(client, VERSION, 100).toWrite()).isEqualTo(VERSION);
        assertThat(client.nextDeadlineMillis()).isEqualTo(100 + HANDSHAKE);

        assertThat(client.onTick(100 + HANDSHAKE).isEmpty()).isTrue();
        assertThat(client.state()).isEqualTo(ClientSession.State.SCANNING);
        assertThat(client.onTick(100 + HANDSHAKE + SPEAK).toWrite()).isEqualTo(VERSION);
    }

    @Test
    void clientAnswersAServerVersionAfterItsOwnExchangeAgain() {
        ClientSession client = new ClientSession(CONFIG);
        client.start(0);
        feed(client, VERSION, 1);
        assertThat(feed(client, VERSION, 2).toWrite()).isEqualTo(VERSION);
        assertThat(client.state()).isEqualTo(ClientSession.State.AWAIT_SECURITY_TYPES);
    }

    @Test
    void clientRefusedByTheServerReportsTheReasonAndScansAgain() {
        ClientSession client = new ClientSession(CONFIG);
        client.start(0);
        feed(client, VERSION, 1);
        SessionOutput out = feed(client, "00 00 00 00 0b 62 61 64 20 76 65 72 73 69 6f 6e", 2);

        assertThat(out.events())
                .containsExactly(new SessionEvent.ProtocolError("security types count 0 (refused): bad version"));
        assertThat(client.state()).isEqualTo(ClientSession.State.SCANNING);
        assertThat(client.nextDeadlineMillis()).isEqualTo(2 + SPEAK);
    }

    @Test
    void clientAcceptsANewerServerVersionAndSpeaks38() {
        ClientSession client = new ClientSession(CONFIG);
        client.start(0);
        byte[] apple = "RFB 003.889\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(feed(client, apple, 1).toWrite()).isEqualTo(VERSION);
    }

    @Test
    void clientDropsAHandshakeMessageThatStalls() {
        ClientSession client = new ClientSession(CONFIG);
        client.start(0);
        feed(client, "52 46 42 20 30 30 33 2e 30 30 38 0a 01 01 00 00 00 00 00 00 00 00 20", 10);
        assertThat(client.nextDeadlineMillis()).isEqualTo(10 + STALL);

        SessionOutput out = client.onTick(10 + STALL);

        assertThat(out.events()).containsExactly(new SessionEvent.StalledMessageDropped(5));
        assertThat(client.state()).isEqualTo(ClientSession.State.SCANNING);
    }

    @Test
    void serverGreetsAfterOneStallTimeoutThenRepeatsWithBackOffWhileNoClientAnswers() {
        ServerSession server = new ServerSession(CONFIG);
        assertThat(server.start(0).isEmpty()).as("quiet first, rule 8").isTrue();

        assertThat(versionTimes(server, 0, 200_000))
                .containsExactly(
                        STALL,
                        STALL + HANDSHAKE,
                        STALL + 3 * HANDSHAKE,
                        STALL + 7 * HANDSHAKE,
                        STALL + 15 * HANDSHAKE,
                        STALL + 23 * HANDSHAKE,
                        STALL + 31 * HANDSHAKE,
                        STALL + 39 * HANDSHAKE);
    }

    @Test
    void serverHandshakeWithoutProgressGreetsAgain() {
        ServerSession server = new ServerSession(CONFIG);
        server.start(0);
        assertThat(feed(server, VERSION, 100).toWrite()).isEqualTo(Hex.bytes("01 01"));

        assertThat(server.onTick(100 + HANDSHAKE).toWrite()).isEqualTo(VERSION);
        assertThat(server.state()).isEqualTo(ServerSession.State.AWAIT_CLIENT_VERSION);
    }

    @Test
    void serverCompletesTheHandshakeAndSendsAnEmptyDesktopName() {
        ServerSession server = new ServerSession(CONFIG.withDesktopName("xen-clipboard"));
        server.start(0);
        SessionOutput out = feed(server, "52 46 42 20 30 30 33 2e 30 30 38 0a 01 01", 1);

        assertThat(Hex.spaced(out.toWrite()))
                .isEqualTo("01 01 00 00 00 00 00 00 00 00 20 18 00 01 00 ff 00 ff 00 ff 10 08 00 00 00 00"
                        + " 00 00 00 0d 78 65 6e 2d 63 6c 69 70 62 6f 61 72 64");
        assertThat(out.events()).containsExactly(new SessionEvent.Established(false));
    }

    @Test
    void serverAnswersAClientVersionInSessionWithSecurityTypesAndReportsTheRestart() {
        ServerSession server = new ServerSession(CONFIG);
        server.start(0);
        feed(server, "52 46 42 20 30 30 33 2e 30 30 38 0a 01 01", 1);

        SessionOutput out = feed(server, VERSION, 2);

        assertThat(out.toWrite()).isEqualTo(Hex.bytes("01 01"));
        assertThat(out.events()).containsExactly(new SessionEvent.PeerRestarted());
        assertThat(server.isEstablished()).isFalse();
    }

    @Test
    void serverRejectsAnotherSecurityTypeAndGreetsAgain() {
        ServerSession server = new ServerSession(CONFIG);
        server.start(0);
        SessionOutput out = feed(server, "52 46 42 20 30 30 33 2e 30 30 38 0a 02", 1);

        assertThat(out.events())
                .containsExactly(new SessionEvent.ProtocolError(
                        "security choice 2 differs from the only type offered, None (1)"));
        assertThat(Hex.spaced(out.toWrite())).isEqualTo("01 01 52 46 42 20 30 30 33 2e 30 30 38 0a");
    }

    @Test
    void serverRejectsAnOldClientVersion() {
        ServerSession server = new ServerSession(CONFIG);
        server.start(0);
        byte[] v33 = "RFB 003.003\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        SessionOutput out = feed(server, v33, 1);

        assertThat(out.events())
                .containsExactly(new SessionEvent.ProtocolError("protocol version 003.003 below minimum 003.008"));
        assertThat(server.state()).isEqualTo(ServerSession.State.AWAIT_CLIENT_VERSION);
    }

    @Test
    void noiseSplitOverOneReadIsReportedOnceBeforeTheVersion() {
        ServerSession server = new ServerSession(CONFIG);
        server.start(0);
        byte[] noisy = SessionPair.concat(new byte[20_000], VERSION);

        SessionOutput out = feed(server, noisy, 1);

        assertThat(out.events()).containsExactly(new SessionEvent.NoiseDiscarded(20_000));
        assertThat(out.toWrite()).isEqualTo(Hex.bytes("01 01"));
    }

    @Test
    void sessionsRefuseBytesBeforeStartAndASecondStart() {
        ClientSession client = new ClientSession(CONFIG);
        ServerSession server = new ServerSession(CONFIG);
        assertThatThrownBy(() -> feed(client, VERSION, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("session not started: call start() first");
        assertThatThrownBy(() -> server.onTick(0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("session not started: call start() first");
        client.start(0);
        server.start(0);
        assertThatThrownBy(() -> client.start(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("session already started");
        assertThatThrownBy(() -> server.start(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("session already started");
    }

    @Test
    void stateTablesAllowRestartsFromEveryStateButNeverSkipTheHandshake() {
        for (ClientSession.State s : ClientSession.State.values()) {
            assertThat(s.mayMoveTo(ClientSession.State.ESTABLISHED))
                    .isEqualTo(s == ClientSession.State.AWAIT_SERVER_INIT);
            assertThat(s.mayMoveTo(ClientSession.State.SCANNING)).isEqualTo(true);
        }
        for (ServerSession.State s : ServerSession.State.values()) {
            assertThat(s.mayMoveTo(ServerSession.State.ESTABLISHED))
                    .isEqualTo(s == ServerSession.State.AWAIT_CLIENT_INIT);
            assertThat(s.mayMoveTo(ServerSession.State.AWAIT_CLIENT_VERSION)).isEqualTo(true);
            assertThat(s.mayMoveTo(ServerSession.State.NEW)).isFalse();
        }
    }
}
