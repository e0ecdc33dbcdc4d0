package org.xenclip.demo;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.xenclip.host.HostUi;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.ui.DesktopUi;
import org.xenclip.host.vm.HostModel;

/**
 * The host app's own UI ({@link DesktopUi}: window, tray, notifications) plus the demo VM's window, on one
 * JavaFX runtime. The host app's window opens at start even when a tray exists, so a newcomer sees both
 * sides at once. Quit in either window or the tray ends the host app, which ends the demo.
 *
 * <p>{@link #start} runs on the launcher's main thread; the windows live on the FX thread.
 */
final class DemoUi implements HostUi {

    private static final Logger LOG = Logger.getLogger(DemoUi.class.getName());

    /** The host app window's title (its MainWindow): how the demo finds it to place its own beside it. */
    private static final String HOST_WINDOW_TITLE = "xenclip";

    private final DemoVm vm;
    private final Consumer<GuestWindow> shown;
    private final AtomicReference<GuestWindow> window = new AtomicReference<>();
    private volatile SettingsStore settings;

    /** {@code shown} gets the demo VM's window once it is on screen (the test hook attaches there). */
    DemoUi(DemoVm vm, Consumer<GuestWindow> shown) {
        this.vm = Objects.requireNonNull(vm, "vm");
        this.shown = Objects.requireNonNull(shown, "shown");
    }

    @Override
    public void start(HostModel model, SettingsStore settings, Runnable quit) throws Exception {
        this.settings = settings;
        new DesktopUi(true).start(model, settings, quit);
        Runnable quitFromVmWindow = () -> {
            LOG.info("demo: quit chosen in the " + DemoVm.NAME + " window");
            Platform.runLater(() -> {
                GuestWindow w = window.get();
                if (w != null) {
                    w.close();
                }
            });
            quit.run();
        };
        onFx(() -> {
            Optional<Window> host = hostWindow();
            GuestWindow w = new GuestWindow(
                    vm.clipboard(),
                    vm::stats,
                    vm::agentConnected,
                    () -> model.vms().stream()
                            .filter(s -> s.name().equals(DemoVm.NAME))
                            .findFirst(),
                    quitFromVmWindow);
            window.set(w);
            w.show(host);
            shown.accept(w);
        });
    }

    /**
     * Writes any pending settings change and stops the store's saver, so nothing recreates the throwaway
     * config directory after the demo removed it (the engine's own close comes later, at JVM exit).
     */
    void closeSettings() {
        SettingsStore store = settings;
        if (store != null) {
            store.close();
        }
    }

    private static Optional<Window> hostWindow() {
        return Window.getWindows().stream()
                .filter(w -> w instanceof Stage s && HOST_WINDOW_TITLE.equals(s.getTitle()))
                .findFirst();
    }

    /** Runs on the FX thread and waits, so the windows exist before start returns. */
    private static void onFx(Runnable action) throws InterruptedException {
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
}
