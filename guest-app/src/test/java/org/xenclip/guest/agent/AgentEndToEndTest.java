package org.xenclip.guest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.channelsim.ChannelConfig;
import org.xenclip.channelsim.SimulatedChannel;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.desktop.x11.X11Clipboard;
import org.xenclip.guest.device.ChannelDevice;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;

/**
 * The agent between real parts: a real Xvfb with xclip/xsel as the user, the channel simulator's real pty
 * (cooked until the agent makes it raw) and Unix socket, and a real {@link org.xenclip.protocol.ServerSession}
 * on dom0's end.
 */
class AgentEndToEndTest {

    private static final Duration T = Duration.ofSeconds(20);
    private static XvfbServer xvfb;

    @TempDir
    Path dir;

    private SimulatedChannel channel;
    private XClip user;
    private Running agent;
    private Dom0End dom0;

    /** One agent with everything it opened, so a test can restart it. */
    record Running(GuestAgent agent, ChannelDevice device, List<ClipboardBackend> clipboards) {
        void stop() throws InterruptedException {
            agent.close();
            clipboards.forEach(ClipboardBackend::close);
            device.close();
        }
    }

    @BeforeAll
    static void display() {
        xvfb = XvfbServer.shared();
    }

    @BeforeEach
    void start() throws Exception {
        channel = SimulatedChannel.start(
                ChannelConfig.of("e2e", dir.resolve("clip.sock")).withDeviceLink(dir.resolve("hvc-link")));
        user = new XClip(xvfb);
        agent = startAgent(AgentConfig.defaults());
        dom0 = Dom0End.connect(channel.socketPath());
        Await.until(
                "session established",
                T,
                () -> dom0.isEstablished() && agent.agent().isEstablished());
    }

    private Running startAgent(AgentConfig config) throws Exception {
        ChannelDevice device = ChannelDevice.open(channel.devicePath());
        List<ClipboardBackend> clipboards = List.of(X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD));
        GuestAgent a = new GuestAgent(device, clipboards, config);
        a.start();
        return new Running(a, device, clipboards);
    }

    @AfterEach
    void stop() throws Exception {
        if (dom0 != null) {
            dom0.close();
        }
        if (agent != null) {
            agent.stop();
        }
        if (user != null) {
            user.close();
        }
        if (channel != null) {
            channel.close();
        }
    }

    private void awaitDom0Received(String text) {
        Await.until(
                "dom0 received " + ClipboardText.of(text) + " (dom0 events: " + dom0.events + ")",
                T,
                () -> dom0.received.contains(ClipboardText.of(text)));
    }

    private void awaitGuestClipboard(String text) {
        Await.value("guest clipboard", T, () -> user.get(Selection.CLIPBOARD), v -> v.equals(Optional.of(text)));
    }

    @Test
    void copyInGuestReachesDom0() {
        user.set(Selection.CLIPBOARD, "copied in the guest");
        awaitDom0Received("copied in the guest");
    }

    @Test
    void dom0TextLandsInGuestClipboard() {
        dom0.send("copied on dom0");
        awaitGuestClipboard("copied on dom0");
    }

    @Test
    void textFromDom0IsNotEchoedBack() {
        dom0.send("from dom0, not to be echoed");
        awaitGuestClipboard("from dom0, not to be echoed");
        // the next change the user makes is the first and only thing dom0 receives
        user.setWithXsel(Selection.CLIPBOARD, "the user's own copy");
        awaitDom0Received("the user's own copy");
        assertThat(dom0.received).containsExactly(ClipboardText.of("the user's own copy"));
    }

    @Test
    void unicodeCrossesBothWays() {
        user.set(Selection.CLIPBOARD, "€ 日本語 🎉 שלום");
        awaitDom0Received("€ 日本語 🎉 שלום");
        dom0.send("Ünïcödé ✓ 𝄞");
        awaitGuestClipboard("Ünïcödé ✓ 𝄞");
    }

    @Test
    void multiLineTextKeepsItsLines() {
        String lines = "line one\nline two\n\n\tindented\nlast";
        user.set(Selection.CLIPBOARD, lines);
        awaitDom0Received(lines);
        dom0.send("a\nb\nc\n");
        awaitGuestClipboard("a\nb\nc\n");
    }

    @Test
    void controlBytesInTextCrossTheRawDeviceUnchanged() {
        // ^C, ^Q, ^S, DEL and a lone CR would be eaten or turned into signals by a cooked tty
        String fragile = "x\u0003\u0011\u0013\u007f\u00ff\ry";
        dom0.send(fragile);
        awaitGuestClipboard(fragile);
        String back = "y\u0013\u0011\u0003\u007f\rz";
        user.set(Selection.CLIPBOARD, back);
        awaitDom0Received(back);
    }

    @Test
    void oneMebibyteCrossesBothWays() {
        String big = letters(SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES - 1, 1);
        // xsel: an xclip owner serves one INCR reader at a time, and the agent and the kit both read it
        user.setWithXsel(Selection.CLIPBOARD, big);
        Await.until(
                "dom0 received 1 MiB (events " + dom0.events + ", channel " + channel.stats() + ")",
                Duration.ofSeconds(60),
                () -> dom0.received.stream().anyMatch(t -> t.text().equals(big)));
        String big2 = letters(SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES - 1, 2);
        dom0.send(big2);
        // compare by hash first: a failure must not print a mebibyte
        Await.value(
                "guest clipboard holding dom0's 1 MiB",
                Duration.ofSeconds(60),
                () -> user.get(Selection.CLIPBOARD).map(String::hashCode),
                v -> v.equals(Optional.of(big2.hashCode())));
        assertThat(user.get(Selection.CLIPBOARD).map(big2::equals)).contains(true);
    }

    @Test
    void oversizeTextIsNotSentAndTheSessionCarriesOn() {
        user.setWithXsel(Selection.CLIPBOARD, letters(SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES + 1, 3));
        user.set(Selection.CLIPBOARD, "small after big");
        awaitDom0Received("small after big");
        assertThat(dom0.received).containsExactly(ClipboardText.of("small after big"));
    }

    @Test
    void oversizeTextFromDom0IsDroppedAndTheSessionCarriesOn() throws Exception {
        agent.stop();
        agent = startAgent(AgentConfig.defaults().withMaxBytes(1000));
        Await.until("session established", T, () -> agent.agent().isEstablished());
        user.set(Selection.CLIPBOARD, "before");
        dom0.send(letters(5000, 4));
        dom0.send("fits");
        awaitGuestClipboard("fits");
    }

    @Test
    void agentRestartedMidSessionRejoins() throws Exception {
        user.set(Selection.CLIPBOARD, "before the restart");
        awaitDom0Received("before the restart");
        agent.stop();
        agent = startAgent(AgentConfig.defaults());
        Await.until("agent rejoined", T, () -> agent.agent().isEstablished());
        user.set(Selection.CLIPBOARD, "after the agent restart");
        awaitDom0Received("after the agent restart");
        dom0.send("dom0 after the agent restart");
        awaitGuestClipboard("dom0 after the agent restart");
    }

    @Test
    void dom0RestartedMidSessionIsFollowed() throws Exception {
        user.set(Selection.CLIPBOARD, "before dom0 restarted");
        awaitDom0Received("before dom0 restarted");
        dom0.restart();
        Await.until("dom0 session re-established", T, () -> dom0.isEstablished());
        user.set(Selection.CLIPBOARD, "after dom0 restarted");
        awaitDom0Received("after dom0 restarted");
        dom0.send("new dom0 speaks");
        awaitGuestClipboard("new dom0 speaks");
    }

    @Test
    void agentFollowsAVmReboot() throws Exception {
        rebootAndCheckBothWays(Duration.ZERO);
    }

    @Test
    void agentWaitsOutARebootsDowntime() throws Exception {
        // longer than a few reopen attempts: the link is missing meanwhile and the agent must wait for it
        rebootAndCheckBothWays(Duration.ofSeconds(2));
    }

    private void rebootAndCheckBothWays(Duration downtime) throws Exception {
        user.set(Selection.CLIPBOARD, "before the reboot");
        awaitDom0Received("before the reboot");
        dom0.close();
        channel.reboot(downtime);
        dom0 = Dom0End.connect(channel.socketPath());
        Await.until(
                "session established after the reboot (channel " + channel.stats() + ")",
                T,
                () -> dom0.isEstablished() && agent.agent().isEstablished());
        assertThat(channel.stats().boots()).isEqualTo(2);
        // the new pty started cooked: these bytes cross unchanged only if the agent made it raw again
        String fragile = "after\u0003\u0011\u0013\u007f\rreboot";
        dom0.send(fragile);
        awaitGuestClipboard(fragile);
        String back = "guest\u0013\u0011\u0003\u007f\rafter reboot";
        user.set(Selection.CLIPBOARD, back);
        awaitDom0Received(back);
    }

    @Test
    void guestCopyWhileDom0IsAwayReachesTheNextDom0() throws Exception {
        dom0.close();
        Await.until("dom0 gone", T, () -> !channel.stats().clientConnected());
        String text = "copied while dom0 was away";
        user.set(Selection.CLIPBOARD, text);
        // the agent believes it is connected and announces the copy into the channel (a notify: dom0 asks for
        // text itself), where it waits as stale bytes that the next dom0 discards before its handshake
        Await.until(
                "the copy announced into the channel (channel " + channel.stats() + ")",
                T,
                () -> channel.stats().backlogToDom0() > 0);
        dom0 = Dom0End.connect(channel.socketPath());
        Await.until("new dom0 session established", T, () -> dom0.isEstablished());
        awaitDom0Received(text);
        assertThat(dom0.received).containsExactly(ClipboardText.of(text));
    }

    @Test
    void dom0sOwnTextIsNotOfferedBackToANewDom0() throws Exception {
        dom0.send("dom0 had this first");
        awaitGuestClipboard("dom0 had this first");
        dom0.restart();
        Await.until(
                "dom0 session re-established",
                T,
                () -> dom0.isEstablished() && agent.agent().isEstablished());
        user.set(Selection.CLIPBOARD, "the next guest copy");
        awaitDom0Received("the next guest copy");
        assertThat(dom0.received).containsExactly(ClipboardText.of("the next guest copy"));
    }

    @Test
    void whatTheGuestHeldWhenTheAgentStartedIsOfferedToDom0() throws Exception {
        agent.stop();
        // copied while no agent ran: only the new agent can tell dom0, and dom0 decides whether it is news
        user.set(Selection.CLIPBOARD, "copied while the agent was down");
        agent = startAgent(AgentConfig.defaults());
        awaitDom0Received("copied while the agent was down");
    }

    @Test
    void dom0RestartingInTheMiddleOfALongGuestTextGetsItWholeAfterTheNewHandshake() throws Exception {
        dom0.close();
        channel.close();
        // slow enough that dom0 can restart while the text is on its way
        channel = SimulatedChannel.start(ChannelConfig.of("slow", dir.resolve("slow.sock"))
                .withDeviceLink(dir.resolve("slow-link"))
                .withBandwidth(64 * 1024));
        agent.stop();
        agent = startAgent(AgentConfig.defaults());
        dom0 = Dom0End.connect(channel.socketPath());
        Await.until(
                "session established",
                T,
                () -> dom0.isEstablished() && agent.agent().isEstablished());

        String text = letters(256 * 1024, 7);
        user.set(Selection.CLIPBOARD, text);
        Await.until(
                "the long text on its way (channel " + channel.stats() + ")",
                T,
                () -> channel.stats().bytesToDom0() > 16 * 1024);
        dom0.restart();

        // the agent drops what its old session had not written, handshakes, and offers the text again
        awaitDom0Received(text);
        assertThat(dom0.received).containsExactly(ClipboardText.of(text));
        assertThat(channel.stats().bytesToDom0())
                .as("the old session's unsent rest went nowhere: the channel carried the text about once")
                .isLessThan(text.length() + 128 * 1024);
    }

    @Test
    void garbageFromDom0DoesNotStopTheAgent() {
        channel.inject(org.xenclip.channelsim.Direction.TO_GUEST, new byte[] {(byte) 0xfe, 0x00, 0x42, 0x13});
        // Text sent while the guest resynchronises is lost by design (it was inside the garbage's frame), so
        // dom0 offers it again until it lands, as a user would copy again.
        long[] lastSend = {0};
        Await.until("guest clipboard after garbage", T, () -> {
            if (System.nanoTime() - lastSend[0] > TimeUnit.SECONDS.toNanos(3)) {
                lastSend[0] = System.nanoTime();
                dom0.send("after garbage");
            }
            return user.get(Selection.CLIPBOARD).equals(Optional.of("after garbage"));
        });
        user.set(Selection.CLIPBOARD, "guest after garbage");
        awaitDom0Received("guest after garbage");
    }

    /** Pseudo-random lowercase text of exactly {@code size} bytes (compresses like prose, not like zeros). */
    static String letters(long size, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder((int) size);
        for (long i = 0; i < size; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }
}
