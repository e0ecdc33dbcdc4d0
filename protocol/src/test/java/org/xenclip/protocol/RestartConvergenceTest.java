package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every restart order of issue 2, with both ends wired back to back: each converges to an established
 * session within the profile's timeouts, delivers no partial or stale clipboard, and carries text both ways
 * afterwards.
 */
class RestartConvergenceTest {

    private static final SessionConfig EXTENDED = SessionConfig.defaults();
    private static final SessionConfig LEGACY = SessionConfig.defaults().withExtendedClipboard(false);

    /** The longest any recovery may take: a stall, a speak-first delay and a handshake timeout. */
    private static final long PROFILE_BOUND_MILLIS = EXTENDED.stallTimeout().toMillis()
            + EXTENDED.speakFirstAfter().toMillis()
            + EXTENDED.handshakeTimeout().toMillis();

    static Stream<SessionConfig> configs() {
        return Stream.of(EXTENDED, LEGACY);
    }

    private static SessionPair established(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startServer().startClient();
        pair.establish(3_000);
        pair.serverEvents.clear();
        pair.clientEvents.clear();
        return pair;
    }

    /** Proves the framing is sound on both sides after a recovery. */
    private static void assertTextFlowsBothWays(SessionPair pair) {
        pair.serverEvents.clear();
        pair.clientEvents.clear();
        pair.fromServer(pair.server.sendText(ClipboardText.of("to guest"), pair.now));
        pair.fromClient(pair.client.sendText(ClipboardText.of("to dom0"), pair.now));
        pair.deliver();
        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("to guest"));
        assertThat(SessionPair.texts(pair.serverEvents)).containsExactly(ClipboardText.of("to dom0"));
    }

    private static byte[] legacyCutText(boolean fromServer, String text) {
        return MessageEncoder.encode(new Message.CutText(text), fromServer);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void guestAgentRestartWhileDom0StaysInSessionConvergesAndDropsStaleBytes(SessionConfig config) {
        SessionPair pair = established(config);
        // dom0 wrote a cut text the old agent never read: it waits in the ring for the new agent.
        pair.toClient.writeBytes(legacyCutText(true, "stale"));

        pair.startClient();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isLessThanOrEqualTo(config.speakFirstAfter().toMillis() + SessionPair.TICK_MILLIS);
        assertThat(pair.serverEvents).contains(new SessionEvent.PeerRestarted());
        assertThat(SessionPair.ofType(pair.clientEvents, SessionEvent.NoiseDiscarded.class))
                .isNotEmpty();
        assertThat(SessionPair.texts(pair.clientEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void dom0RestartWhileGuestStaysConvergesAtOnceAndDropsTheOutputQemuBuffered(SessionConfig config) {
        SessionPair pair = established(config);
        pair.server = null; // dom0 app gone; QEMU buffers what the guest writes meanwhile
        pair.toServer.writeBytes(legacyCutText(false, "written while dom0 was away"));

        pair.startServer();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took)
                .isBetween(
                        config.stallTimeout().toMillis(), config.stallTimeout().toMillis() + SessionPair.TICK_MILLIS);
        assertThat(pair.clientEvents).contains(new SessionEvent.PeerRestarted());
        assertThat(SessionPair.texts(pair.serverEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void bothRestartingWithStaleBytesEachWayConverges(SessionConfig config) {
        SessionPair pair = established(config);
        pair.toClient.writeBytes(legacyCutText(true, "old dom0 text"));
        pair.toServer.writeBytes(legacyCutText(false, "old guest text"));
        pair.server = null;
        pair.client = null;

        pair.startServer();
        pair.advance(700);
        pair.startClient();
        pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(SessionPair.texts(pair.serverEvents)).isEmpty();
        assertThat(SessionPair.texts(pair.clientEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void staleOldServerVersionAndOldCutTextBeforeTheHandshakeAreNeverDelivered(SessionConfig config) {
        SessionPair pair = new SessionPair(config);
        pair.toClient.writeBytes(
                Message.Version.V3_8.equals(new Message.Version(3, 8))
                        ? "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)
                        : new byte[0]);
        pair.toClient.writeBytes(legacyCutText(true, "old"));

        pair.startServer().startClient();
        pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(SessionPair.texts(pair.clientEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void windowsAttachedNoiseIsDiscardedAndCounted(SessionConfig config) {
        SessionPair pair = new SessionPair(config);
        pair.toServer.writeBytes("\r\n[ATTACHED]\r\n".getBytes(StandardCharsets.US_ASCII));

        pair.startServer().startClient();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isLessThanOrEqualTo(config.speakFirstAfter().toMillis() + SessionPair.TICK_MILLIS);
        assertThat(pair.serverEvents).contains(new SessionEvent.NoiseDiscarded(14));
        assertThat(SessionPair.ofType(pair.serverEvents, SessionEvent.ProtocolError.class))
                .isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void lostServerVersionIsRecoveredByTheGuestSpeakingFirst(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startServer();
        pair.now += config.stallTimeout().toMillis();
        pair.fromServer(pair.server.onTick(pair.now));
        assertThat(pair.toClient.size()).isEqualTo(12);
        pair.toClient.reset(); // the greeting is lost (e.g. a Windows guest drops bytes nobody reads)

        pair.startClient();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took)
                .isBetween(
                        config.speakFirstAfter().toMillis(),
                        config.speakFirstAfter().toMillis() + SessionPair.TICK_MILLIS);
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void versionsCrossingInFlightConvergeWithoutASecondAnswer(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startServer().startClient();
        pair.now += Math.max(
                config.speakFirstAfter().toMillis(), config.stallTimeout().toMillis());
        pair.fromClient(pair.client.onTick(pair.now)); // the guest speaks first...
        pair.fromServer(pair.server.onTick(pair.now)); // ...while dom0 greets: both versions are in flight
        assertThat(pair.toServer.toByteArray()).isEqualTo(Hex.bytes("52 46 42 20 30 30 33 2e 30 30 38 0a"));
        assertThat(pair.toClient.toByteArray()).isEqualTo(Hex.bytes("52 46 42 20 30 30 33 2e 30 30 38 0a"));

        pair.deliverToClient(Integer.MAX_VALUE);
        assertThat(pair.toServer.size())
                .as("the unprompted version already answered the server's")
                .isEqualTo(12);
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isZero();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void cookedTtyEchoOfTheServerVersionIsNoiseNotAClientVersion(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startServer();
        // Before the agent sets the tty raw, the guest's echo reflects dom0's greeting with ONLCR applied.
        pair.toClient.reset();
        pair.toServer.writeBytes("RFB 003.008\r\n".getBytes(StandardCharsets.US_ASCII));
        pair.deliverToServer(Integer.MAX_VALUE);
        assertThat(pair.serverEvents).containsExactly(new SessionEvent.NoiseDiscarded(13));
        assertThat(pair.toClient.size()).as("no security types for an echo").isZero();

        pair.startClient();
        pair.establish(PROFILE_BOUND_MILLIS);
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void guestRestartWhileDom0AsksForItsAnnouncedTextConverges(SessionConfig config) {
        SessionPair pair = established(config);
        pair.fromClient(pair.client.sendText(ClipboardText.of("announced, then the agent died"), pair.now));
        pair.deliverToServer(Integer.MAX_VALUE); // dom0 asks for it (extended) or has it (legacy)
        pair.client = null; // the agent dies; dom0's request waits in the ring for whoever opens it next
        pair.advance(50);

        pair.startClient();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isLessThanOrEqualTo(PROFILE_BOUND_MILLIS);
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void dom0RestartInTheMiddleOfALongCutTextDropsTheStalledTextAndConverges(SessionConfig config) {
        SessionPair pair = established(config);
        pair.fromServer(pair.server.sendText(ClipboardText.of(randomText(200_000)), pair.now));
        if (config.extendedClipboard()) {
            // dom0 announces, the agent asks, and the provide answering it is what the restart cuts
            pair.deliverToClient(12);
            pair.deliverToServer(Integer.MAX_VALUE);
        }
        int total = pair.toClient.size();
        assertThat(total).isGreaterThan(6_000);
        pair.deliverToClient(config.extendedClipboard() ? 4_988 : 5_000);
        pair.toClient.reset(); // the old dom0 app died: the rest of its text is gone
        pair.server = null;
        pair.advance(300);

        pair.startServer(); // its greeting lands inside the unfinished text
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isLessThanOrEqualTo(PROFILE_BOUND_MILLIS);
        // 5000 bytes of the text (counting a 12-byte notify on the extended wire); the new greeting came later
        assertThat(pair.clientEvents)
                .contains(new SessionEvent.StalledMessageDropped(config.extendedClipboard() ? 4_988 : 5_000));
        assertThat(SessionPair.texts(pair.clientEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void dom0RestartWithOnlyAFewBytesOfTextLeftNeverCompletesItWithTheNewGreeting(SessionConfig config) {
        SessionPair pair = established(config);
        pair.fromServer(pair.server.sendText(ClipboardText.of(randomText(100)), pair.now));
        pair.deliverToClient(pair.toClient.size() - 5);
        pair.toClient.reset(); // the old dom0 app died five bytes short
        pair.server = null;

        pair.startServer(); // at once: its greeting would exactly complete the text if it came now
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isLessThanOrEqualTo(PROFILE_BOUND_MILLIS);
        assertThat(SessionPair.ofType(pair.clientEvents, SessionEvent.StalledMessageDropped.class))
                .hasSize(1);
        assertThat(SessionPair.texts(pair.clientEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void guestRestartInTheMiddleOfALongCutTextDropsTheStalledTextAndConverges(SessionConfig config) {
        SessionPair pair = established(config);
        pair.fromClient(pair.client.sendText(ClipboardText.of(randomText(200_000)), pair.now));
        if (config.extendedClipboard()) {
            // The server's caps advertise no unsolicited text: the provide follows the server's request.
            pair.deliverToServer(Integer.MAX_VALUE);
            pair.deliverToClient(Integer.MAX_VALUE);
        }
        pair.deliverToServer(3_000);
        pair.toServer.reset(); // the old agent died mid-write
        pair.client = null;
        pair.advance(500);

        pair.startClient();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isLessThanOrEqualTo(PROFILE_BOUND_MILLIS);
        assertThat(SessionPair.ofType(pair.serverEvents, SessionEvent.StalledMessageDropped.class))
                .hasSize(1);
        assertThat(SessionPair.texts(pair.serverEvents)).isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void guestWaitingLongForDom0ConvergesDespiteTheVersionsQemuBuffered(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startClient();
        pair.advance(60_000); // no dom0 app: QEMU keeps every unprompted version for the next client
        assertThat(pair.toServer.size()).isEqualTo(5 * 12);

        pair.startServer();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isZero();
        assertThat(SessionPair.ofType(pair.clientEvents, SessionEvent.ProtocolError.class))
                .isEmpty();
        assertTextFlowsBothWays(pair);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void dom0WaitingLongForTheGuestConvergesDespiteItsRepeatedVersionsInTheRing(SessionConfig config) {
        SessionPair pair = new SessionPair(config).startServer();
        pair.advance(80_000); // no agent: every greeting waits in the ring
        assertThat(pair.toClient.size()).isEqualTo(5 * 12);

        pair.startClient();
        long took = pair.establish(PROFILE_BOUND_MILLIS);

        assertThat(took).isZero();
        assertThat(SessionPair.ofType(pair.serverEvents, SessionEvent.ProtocolError.class))
                .isEmpty();
        assertTextFlowsBothWays(pair);
    }

    /** Letters from a seeded generator: deflate cannot shrink them much, so the message stays long. */
    private static String randomText(int length) {
        Random random = new Random(42);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.toString();
    }
}
