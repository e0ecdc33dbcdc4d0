package org.xenclip.host.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.ui.InMemoryHostModel.vm;
import static org.xenclip.host.ui.InMemoryHostModel.withError;
import static org.xenclip.host.ui.InMemoryHostModel.withTraffic;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xenclip.host.tray.Tray;
import org.xenclip.host.tray.TrayIconState;
import org.xenclip.host.tray.TrayMenuModel;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

/** The tray follows the engine: icon state, tooltip and menu, and "syncing" only for a moment. */
class TrayRefresherTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A tray that records what it was told to show. */
    static final class RecordingTray implements Tray {
        final BlockingQueue<String> shown = new LinkedBlockingQueue<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void update(TrayMenuModel menu, TrayIconState icon, String tooltip) {
            shown.add(icon + " | " + tooltip + " | " + menu.items().size() + " entries");
        }

        @Override
        public void close() {}
    }

    private final InMemoryHostModel model = new InMemoryHostModel();
    private final MovableClock clock = new MovableClock();
    private final RecordingTray tray = new RecordingTray();
    private final DesktopUi.TrayRefresher refresher = new DesktopUi.TrayRefresher(model, clock);

    @AfterEach
    void stop() {
        refresher.close();
    }

    private void attach() {
        refresher.commands = new HostActions(model, () -> {}, () -> {}, () -> {});
        refresher.tray = tray;
    }

    @Test
    void showsSyncingForAMomentAfterTextCrossedThenIdle() throws InterruptedException {
        model.put(withTraffic(vm("work", VmState.CONNECTED, SyncMode.BOTH), NOW.minusMillis(500), 10, 0));
        attach();

        refresher.refresh();
        assertThat(tray.shown.poll(5, TimeUnit.SECONDS))
                .isEqualTo("SYNCING | xenclip: sharing with 1 of 1 VM | 6 entries");
        clock.now = NOW.plus(DesktopUi.SYNCING_SHOWN);
        // the refresher looks again by itself once the moment is over
        assertThat(tray.shown.poll(DesktopUi.SYNCING_SHOWN.toMillis() + 5000, TimeUnit.MILLISECONDS))
                .isEqualTo("IDLE | xenclip: sharing with 1 of 1 VM | 6 entries");
    }

    @Test
    void showsAttentionForAnErrorAndPausedAboveAll() throws InterruptedException {
        model.put(
                withError(vm("mail", VmState.ERROR, SyncMode.BOTH), VmState.ERROR, "permission denied"),
                vm("web", VmState.OFF, SyncMode.OFF));
        attach();

        refresher.refresh();
        assertThat(tray.shown.poll(5, TimeUnit.SECONDS))
                .isEqualTo("ATTENTION | xenclip: sharing with 1 of 2 VMs, 1 needs attention | 7 entries");
        model.setPaused(true);
        refresher.refresh();
        assertThat(tray.shown.poll(5, TimeUnit.SECONDS)).isEqualTo("PAUSED | xenclip: paused | 7 entries");
    }

    @Test
    void waitsForTheTrayBeforeShowingAnything() throws InterruptedException {
        model.put(vm("work", VmState.CONNECTED, SyncMode.BOTH));
        refresher.refresh();
        attach();
        refresher.refresh();

        assertThat(tray.shown.poll(5, TimeUnit.SECONDS)).startsWith("IDLE");
    }
}
