package org.xenclip.host.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.xenclip.host.HostUi;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.tray.Tray;
import org.xenclip.host.tray.TrayIconState;
import org.xenclip.host.tray.TrayMenuModel;
import org.xenclip.host.tray.TrayProvider;
import org.xenclip.host.tray.TrayProviders;
import org.xenclip.host.tray.VmLabels;
import org.xenclip.host.vm.HostModel;
import org.xenclip.host.vm.VmStatus;

/**
 * The desktop UI of the host app: JavaFX window, tray icon and desktop notifications around an
 * engine; {@link org.xenclip.host.Main} finds it as the {@link HostUi} service.
 *
 * <p>Start order matters: JavaFX starts first and AWT (the XEmbed tray) only afterwards, and GTK 3 is
 * requested for both, because an AWT started first loads GTK 2 and JavaFX then cannot start.
 */
public final class DesktopUi implements HostUi {

    private static final Logger LOG = Logger.getLogger(DesktopUi.class.getName());

    /** How long the tray icon shows "syncing" after text crossed a channel. */
    static final Duration SYNCING_SHOWN = Duration.ofSeconds(2);

    private final List<TrayProvider> trayProviders;
    private final Clock clock;
    private final boolean windowAtStart;

    public DesktopUi() {
        this(TrayProviders.standard(), Clock.system(ZoneId.systemDefault()));
    }

    /**
     * With {@code windowAtStart}, the window opens at start even when a tray icon exists (without, it opens
     * only when there is no tray). The demo launcher shows it so a newcomer sees both sides at once.
     */
    public DesktopUi(boolean windowAtStart) {
        this(TrayProviders.standard(), Clock.system(ZoneId.systemDefault()), windowAtStart);
    }

    DesktopUi(List<TrayProvider> trayProviders, Clock clock) {
        this(trayProviders, clock, false);
    }

    private DesktopUi(List<TrayProvider> trayProviders, Clock clock, boolean windowAtStart) {
        this.trayProviders = trayProviders;
        this.clock = clock;
        this.windowAtStart = windowAtStart;
    }

    /**
     * Starts JavaFX, the window, the tray and desktop notifications for this engine, and returns. When
     * the user quits, the tray and the window are closed first and then {@code quit} runs.
     *
     * @throws IllegalStateException if JavaFX cannot open the display (no desktop session)
     */
    @Override
    public void start(HostModel model, SettingsStore settings, Runnable quit) throws InterruptedException {
        Runnable refresh = start(model, Optional.of(new StoreSettings(settings)), quit);
        // the pause (and any other setting) may change without a VM list change: refresh tray and window
        settings.addListener(changed -> refresh.run());
    }

    /** Returns what refreshes the tray and the pause box. */
    Runnable start(HostModel model, Optional<HostSettings> settings, Runnable quit) throws InterruptedException {
        startFx();
        AtomicReference<MainWindow> window = new AtomicReference<>();
        AtomicReference<Runnable> quitUi = new AtomicReference<>();
        TrayRefresher refresher = new TrayRefresher(model, clock);
        HostActions actions = new HostActions(
                model,
                () -> Platform.runLater(() -> window.get().show()),
                () -> quitUi.get().run(),
                refresher::refresh);
        refresher.commands = actions;
        DesktopNotifier notifier = FreedesktopNotifier.open().orElseGet(DesktopNotifier::none);

        onFx(() -> window.set(new MainWindow(
                actions, model::isPaused, settings, actions::run, notifier, clock, ZoneId.systemDefault())));
        Optional<Tray> tray = TrayProviders.open(trayProviders, actions);
        refresher.tray = tray.orElse(null);
        refresher.window = window.get();
        onFx(() -> {
            window.get().attach(new Stage(), tray.isPresent());
            window.get().showVms(model.vms());
            if (tray.isEmpty() || windowAtStart) {
                window.get().show();
            }
        });
        AtomicBoolean quitting = new AtomicBoolean();
        quitUi.set(() -> {
            if (!quitting.compareAndSet(false, true)) {
                return;
            }
            Thread closer = new Thread(
                    () -> {
                        LOG.info("ui: quit chosen");
                        tray.ifPresent(Tray::close);
                        refresher.close();
                        notifier.close();
                        actions.close();
                        Platform.runLater(() -> {
                            window.get().close();
                            Platform.exit();
                        });
                        quit.run();
                    },
                    "ui-quit");
            closer.setDaemon(true);
            closer.start();
        });

        model.addVmListener(vms -> {
            Platform.runLater(() -> window.get().showVms(vms));
            refresher.refresh();
        });
        model.addNotificationListener(notification -> {
            Platform.runLater(() -> window.get().notify(notification));
            notifier.show(notification, () -> actions.setEnabled(notification.vmName(), true));
        });
        refresher.refresh();
        return refresher::refresh;
    }

    private static void startFx() {
        if (System.getProperty("jdk.gtk.version") == null) {
            System.setProperty("jdk.gtk.version", "3");
        }
        Platform.setImplicitExit(false);
        try {
            CountDownLatch started = new CountDownLatch(1);
            Platform.startup(started::countDown);
            started.await();
        } catch (IllegalStateException alreadyRunning) {
            LOG.fine("ui: JavaFX already running");
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "JavaFX cannot open the display (DISPLAY=" + System.getenv("DISPLAY")
                            + "): run with --no-ui where there is no desktop session",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while JavaFX started", e);
        }
    }

    /** Runs on the FX thread and waits for it, so start-up steps happen in order. */
    static void onFx(Runnable action) throws InterruptedException {
        if (Platform.isFxApplicationThread()) {
            action.run();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Platform.runLater(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                done.countDown();
            }
        });
        done.await();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /**
     * Rebuilds the tray menu and icon on the {@code tray-refresh} thread, coalescing bursts of engine
     * news into one rebuild, and mirrors the pause state into the window.
     */
    static final class TrayRefresher implements AutoCloseable {
        private final HostModel model;
        private final Clock clock;
        private final AtomicBoolean pending = new AtomicBoolean();
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tray-refresh");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler(
                    (t, e) -> LOG.log(Level.SEVERE, "uncaught exception on " + t.getName(), e));
            return thread;
        });
        volatile org.xenclip.host.tray.TrayCommands commands;
        volatile Tray tray;
        volatile MainWindow window;

        TrayRefresher(HostModel model, Clock clock) {
            this.model = model;
            this.clock = clock;
        }

        void refresh() {
            if (pending.compareAndSet(false, true)) {
                executor.execute(this::rebuild);
            }
        }

        private void rebuild() {
            pending.set(false);
            List<VmStatus> vms = model.vms();
            boolean paused = model.isPaused();
            MainWindow shownWindow = window;
            if (shownWindow != null) {
                Platform.runLater(() -> shownWindow.showPaused(paused));
            }
            Tray shownTray = tray;
            if (shownTray == null || commands == null) {
                return;
            }
            Instant recent = clock.instant().minus(SYNCING_SHOWN);
            boolean syncing = vms.stream()
                    .anyMatch(vm -> vm.lastSync().map(at -> at.isAfter(recent)).orElse(false));
            shownTray.update(
                    TrayMenuModel.of(vms, paused, commands),
                    TrayIconState.of(vms, paused, syncing),
                    VmLabels.summary(vms, paused));
            if (syncing) {
                // the icon goes back to its resting state; a refresh that never runs (shut down) changes nothing
                var unused = executor.schedule(this::refresh, SYNCING_SHOWN.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
