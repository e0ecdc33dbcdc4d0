package org.xenclip.host.ui;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.host.tray.TrayCommands;
import org.xenclip.host.vm.HostModel;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmStatus;

/**
 * What the window and the tray ask of the engine, run on the {@code ui-actions} thread in the order
 * asked, so neither the FX thread nor a tray thread waits for the engine.
 *
 * <p>The per-VM toggle turns a VM off, or back on with the direction it had before (both ways for a
 * VM that was never on).
 */
final class HostActions implements TrayCommands, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HostActions.class.getName());

    /** The direction a VM gets when switched on for the first time. */
    static final SyncMode FIRST_ON_MODE = SyncMode.BOTH;

    private final HostModel model;
    private final Runnable openWindow;
    private final Runnable quit;
    private final Runnable changed;
    private final Map<String, SyncMode> lastOnMode = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ui-actions");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.log(Level.SEVERE, "uncaught exception on " + t.getName(), e));
        return thread;
    });

    /**
     * @param changed run after every change the user made, e.g. to refresh the tray when the engine
     *     does not report a pause change through its VM listener
     */
    HostActions(HostModel model, Runnable openWindow, Runnable quit, Runnable changed) {
        this.model = model;
        this.openWindow = openWindow;
        this.quit = quit;
        this.changed = changed;
    }

    @Override
    public void setEnabled(String vmName, boolean enabled) {
        run(() -> {
            SyncMode current = current(vmName);
            if (enabled && current == SyncMode.OFF) {
                model.setMode(vmName, lastOnMode.getOrDefault(vmName, FIRST_ON_MODE));
            } else if (!enabled && current != SyncMode.OFF) {
                lastOnMode.put(vmName, current);
                model.setMode(vmName, SyncMode.OFF);
            }
        });
    }

    @Override
    public void setMode(String vmName, SyncMode mode) {
        run(() -> {
            if (mode != SyncMode.OFF) {
                lastOnMode.put(vmName, mode);
            } else {
                SyncMode current = current(vmName);
                if (current != SyncMode.OFF) {
                    lastOnMode.put(vmName, current);
                }
            }
            model.setMode(vmName, mode);
        });
    }

    @Override
    public void setPaused(boolean paused) {
        run(() -> model.setPaused(paused));
    }

    /** Runs a settings change on the same thread as the mode changes. */
    void run(Runnable action) {
        executor.execute(() -> {
            action.run();
            changed.run();
        });
    }

    @Override
    public void openWindow() {
        openWindow.run();
    }

    @Override
    public void quit() {
        quit.run();
    }

    private SyncMode current(String vmName) {
        return model.vms().stream()
                .filter(vm -> vm.name().equals(vmName))
                .map(VmStatus::mode)
                .findFirst()
                .orElse(SyncMode.OFF);
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
