package org.xenclip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xenclip.channelsim.ChannelStats;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XvfbServer;

/**
 * A clipboard manager that takes over every change (and re-asserts the text when its owner goes away) on
 * one side or both: after the copy has crossed once, the channel and the managers must go quiet. A ping-pong
 * would show as wire bytes and takeovers that keep coming.
 */
class ClipboardManagerEndToEndTest {

    /** Long enough to see several rounds of a ping-pong (each takes a debounce plus a transfer). */
    private static final Duration QUIET = Duration.ofSeconds(3);
    /** Heartbeats (a peek and its answer every 5 s) are a few dozen bytes; a resent 16 KiB text is more. */
    private static final long QUIET_WIRE_BYTES = 1024;
    /** A ping-pong never settles; a converged system settles within a few seconds even on a loaded machine. */
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(20);

    private static Rig rig;
    private final List<Manager> managers = new ArrayList<>();

    /** One manager process and its output file. */
    private static final class Manager {
        final AppProcess process;

        Manager(AppProcess process) {
            this.process = process;
        }

        long takeovers() {
            return process.logText()
                    .lines()
                    .filter(l -> l.startsWith("takeover "))
                    .count();
        }
    }

    @BeforeAll
    static void start() {
        rig = Rig.create("manager");
        rig.hostSettings("rate-limit-count=1000");
        rig.startBoth("both");
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @AfterEach
    void stopManagers() {
        managers.forEach(m -> m.process.kill9());
        managers.clear();
        assertThat(rig.host().isAlive()).as("host alive" + rig.diagnostics()).isTrue();
        assertThat(rig.guest().isAlive()).as("guest alive" + rig.diagnostics()).isTrue();
    }

    private Manager startManager(String side, XvfbServer display) {
        Path out = rig.dir.resolve("manager-" + side + "-" + System.nanoTime() + ".log");
        AppProcess p = AppProcess.start(
                "manager-" + side,
                Rig.toolCommand(ClipboardManagerMain.class),
                Map.of("DISPLAY", display.display()),
                out);
        Await.until("the " + side + " clipboard manager is ready", Rig.HANG, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("manager exited\n" + p.tail(30));
            }
            return p.logText().contains("ready");
        });
        Manager m = new Manager(p);
        managers.add(m);
        return m;
    }

    /** What can show a ping-pong: wire bytes each way (heartbeats excluded by rounding) and takeovers. */
    private record Activity(long kibToGuest, long kibToDom0, List<Long> takeovers) {}

    private Activity activity() {
        ChannelStats s = rig.channel.stats();
        // heartbeats add a few dozen bytes every 5 s; counting whole KiB of traffic ignores them, not a resent text
        return new Activity(
                s.bytesToGuest() / QUIET_WIRE_BYTES,
                s.bytesToDom0() / QUIET_WIRE_BYTES,
                managers.stream().map(Manager::takeovers).toList());
    }

    /** Once both sides hold {@code text}, wire traffic and takeovers must stop (not merely slow down). */
    private void assertGoesQuiet(String text) {
        rig.awaitClipboard("dom0", text, Rig.HANG);
        rig.awaitClipboard("guest", text, Rig.HANG);
        Quiet.settles(
                "no ping-pong: wire KiB each way and takeovers per manager" + rig.diagnostics(),
                QUIET,
                SETTLE_DEADLINE,
                this::activity);
        rig.assertHolds("dom0", text);
        rig.assertHolds("guest", text);
    }

    @Test
    void managerInTheGuest() {
        Manager m = startManager("guest", rig.guestDisplay);
        String fromDom0 = Texts.random(System.nanoTime(), 16384);
        rig.dom0User.set(Selection.CLIPBOARD, fromDom0);
        Await.until("the guest manager took the text over", Rig.HANG, () -> m.takeovers() >= 1);
        assertGoesQuiet(fromDom0);
        String fromGuest = Texts.random(System.nanoTime(), 16384);
        rig.guestUser.set(Selection.CLIPBOARD, fromGuest);
        assertGoesQuiet(fromGuest);
    }

    @Test
    void managerOnDom0() {
        Manager m = startManager("dom0", rig.dom0Display);
        String fromGuest = Texts.random(System.nanoTime(), 16384);
        rig.guestUser.set(Selection.CLIPBOARD, fromGuest);
        Await.until("the dom0 manager took the text over", Rig.HANG, () -> m.takeovers() >= 1);
        assertGoesQuiet(fromGuest);
        String fromDom0 = Texts.random(System.nanoTime(), 16384);
        rig.dom0User.set(Selection.CLIPBOARD, fromDom0);
        assertGoesQuiet(fromDom0);
    }

    @Test
    void managersOnBothSides() {
        startManager("dom0", rig.dom0Display);
        startManager("guest", rig.guestDisplay);
        for (int i = 0; i < 3; i++) {
            String fromDom0 = Texts.random(System.nanoTime(), 16384);
            rig.dom0User.set(Selection.CLIPBOARD, fromDom0);
            assertGoesQuiet(fromDom0);
            String fromGuest = Texts.random(System.nanoTime(), 16384);
            rig.guestUser.set(Selection.CLIPBOARD, fromGuest);
            assertGoesQuiet(fromGuest);
        }
    }

    @Test
    void managersOnBothSidesAcrossAnAgentRestart() {
        startManager("guest", rig.guestDisplay);
        startManager("dom0", rig.dom0Display);
        String text = Texts.random(System.nanoTime(), 16384);
        rig.dom0User.set(Selection.CLIPBOARD, text);
        assertGoesQuiet(text);
        // the agent dies and comes back: on the new session dom0 offers its text again, the agent writes it,
        // the guest's manager sees its own text and must not start a round trip
        int mark = rig.hostMark();
        rig.guest().kill9();
        rig.startGuest();
        rig.awaitConnected(mark, Rig.HANG);
        assertGoesQuiet(text);
        String after = Texts.random(System.nanoTime(), 16384);
        rig.guestUser.set(Selection.CLIPBOARD, after);
        assertGoesQuiet(after);
    }
}
