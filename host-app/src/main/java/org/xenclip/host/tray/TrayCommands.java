package org.xenclip.host.tray;

import org.xenclip.host.vm.SyncMode;

/**
 * What the tray menu (and the window) can ask for. Implementations must return quickly: they are
 * called on the tray's own threads (AWT event thread, D-Bus workers).
 */
public interface TrayCommands {

    /** The per-VM toggle: off, or back on with the direction the VM had before it was switched off. */
    void setEnabled(String vmName, boolean enabled);

    void setMode(String vmName, SyncMode mode);

    void setPaused(boolean paused);

    void openWindow();

    void quit();
}
