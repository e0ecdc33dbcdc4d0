package org.xenclip.host;

import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.vm.HostModel;

/**
 * The seam between the engine and a user interface (window and tray). {@link Main} finds the implementation
 * with {@link java.util.ServiceLoader}: a UI module lists its class in
 * {@code META-INF/services/org.xenclip.host.HostUi}. With {@code --no-ui} none is looked for.
 */
public interface HostUi {

    /**
     * Shows the UI. Called once, on the main thread, after the engine has started.
     *
     * <p>May block until the UI is gone for good (as {@code Application.launch} does) or return at once and
     * keep running on its own threads; either way the app lives until {@code quit} runs.
     *
     * @param model the engine: VM list, modes, pause, notifications (listeners are called on engine threads)
     * @param settings the settings the window edits ({@link SettingsStore#update}); saved by the store
     * @param quit ends the app: closes the connections, saves settings, exits the process. Any thread.
     * @throws Exception when the UI cannot start (no display, no JavaFX): the app reports it and exits 1
     */
    void start(HostModel model, SettingsStore settings, Runnable quit) throws Exception;
}
