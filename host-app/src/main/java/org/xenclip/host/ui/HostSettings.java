package org.xenclip.host.ui;

import org.xenclip.host.vm.SyncMode;

/**
 * The engine settings the window edits ({@link StoreSettings} in the app, a fake in tests). Calls
 * come from the {@code ui-actions} thread, reads also from the FX thread.
 */
interface HostSettings {

    /** The mode a newly seen VM starts in (default off, with a notification offering to enable it). */
    SyncMode defaultMode();

    void setDefaultMode(SyncMode mode);

    /** Whether text from one VM is relayed to the other VMs. */
    boolean shareBetweenVms();

    void setShareBetweenVms(boolean share);

    /** The size cap for text from a VM, in bytes of UTF-8. */
    long maxTextBytes();

    void setMaxTextBytes(long bytes);

    /** Whether C0/C1 controls (except tab and newline) and bidi overrides are stripped from VM text. */
    boolean sanitise();

    void setSanitise(boolean sanitise);
}
