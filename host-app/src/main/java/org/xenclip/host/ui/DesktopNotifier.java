package org.xenclip.host.ui;

import org.xenclip.host.vm.HostNotification;

/** Shows a notification on the desktop (outside the window), if the desktop has a notification service. */
interface DesktopNotifier extends AutoCloseable {

    /**
     * Shows {@code notification}, with an "Enable" action when it is about a new VM.
     *
     * @param enable run when the user picks "Enable" on a new-VM notification (on a D-Bus thread)
     */
    void show(HostNotification notification, Runnable enable);

    boolean isEnabled();

    void setEnabled(boolean enabled);

    @Override
    void close();

    /** For desktops without a notification service: the window's list is all there is. */
    static DesktopNotifier none() {
        return new DesktopNotifier() {
            private volatile boolean enabled = true;

            @Override
            public void show(HostNotification notification, Runnable enable) {
                // nowhere to show it but the window
            }

            @Override
            public boolean isEnabled() {
                return enabled;
            }

            @Override
            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            @Override
            public void close() {}
        };
    }
}
