package org.xenclip.host.ui;

import org.xenclip.host.settings.Settings;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.vm.SyncMode;

/** The window's settings as the engine's {@link SettingsStore} keeps them (it saves them, debounced). */
final class StoreSettings implements HostSettings {

    private final SettingsStore store;

    StoreSettings(SettingsStore store) {
        this.store = store;
    }

    @Override
    public SyncMode defaultMode() {
        return store.current().defaultMode();
    }

    @Override
    public void setDefaultMode(SyncMode mode) {
        store.update(s -> s.withDefaultMode(mode));
    }

    @Override
    public boolean shareBetweenVms() {
        return store.current().shareBetweenVms();
    }

    @Override
    public void setShareBetweenVms(boolean share) {
        store.update(s -> s.withShareBetweenVms(share));
    }

    @Override
    public long maxTextBytes() {
        return store.current().maxTextBytes();
    }

    @Override
    public void setMaxTextBytes(long bytes) {
        store.update(s -> s.withMaxTextBytes(Math.min(bytes, Settings.MAX_TEXT_BYTES_LIMIT)));
    }

    @Override
    public boolean sanitise() {
        return store.current().sanitize();
    }

    @Override
    public void setSanitise(boolean sanitise) {
        store.update(s -> s.withSanitize(sanitise));
    }
}
