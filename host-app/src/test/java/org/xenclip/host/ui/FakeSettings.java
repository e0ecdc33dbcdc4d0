package org.xenclip.host.ui;

import org.xenclip.host.vm.SyncMode;

/** Records what the settings tab wrote. */
final class FakeSettings implements HostSettings {
    volatile SyncMode defaultMode = SyncMode.OFF;
    volatile boolean shareBetweenVms;
    volatile long maxTextBytes = 1024 * 1024;
    volatile boolean sanitise = true;

    @Override
    public SyncMode defaultMode() {
        return defaultMode;
    }

    @Override
    public void setDefaultMode(SyncMode mode) {
        defaultMode = mode;
    }

    @Override
    public boolean shareBetweenVms() {
        return shareBetweenVms;
    }

    @Override
    public void setShareBetweenVms(boolean share) {
        shareBetweenVms = share;
    }

    @Override
    public long maxTextBytes() {
        return maxTextBytes;
    }

    @Override
    public void setMaxTextBytes(long bytes) {
        maxTextBytes = bytes;
    }

    @Override
    public boolean sanitise() {
        return sanitise;
    }

    @Override
    public void setSanitise(boolean sanitise) {
        this.sanitise = sanitise;
    }
}
