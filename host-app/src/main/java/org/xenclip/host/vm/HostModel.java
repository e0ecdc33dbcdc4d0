package org.xenclip.host.vm;

import java.util.List;
import java.util.function.Consumer;

/**
 * The engine as the UI (window, tray, {@code --no-ui} log) sees it. Thread-safe: methods may be called
 * from any thread; listeners are called on an engine thread and must hop to their own UI thread.
 */
public interface HostModel {

    /** The current VMs, sorted by name. */
    List<VmStatus> vms();

    /** Called with the full, new VM list after every change. */
    void addVmListener(Consumer<List<VmStatus>> listener);

    /** Called for things worth a desktop notification: a new VM, oversize text, an error. */
    void addNotificationListener(Consumer<HostNotification> listener);

    /** Changes a VM's mode live; takes effect on the wire before this returns to the caller's next call. */
    void setMode(String vmName, SyncMode mode);

    /** The global pause: nothing crosses any channel while paused. */
    boolean isPaused();

    void setPaused(boolean paused);
}
