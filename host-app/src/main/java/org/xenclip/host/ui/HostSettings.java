package org.xenclip.host.ui;

import org.xenclip.host.vm.SyncMode;

/**
 * The engine settings the window edits. The engine implements it (saving with its own debounce);
 * calls come from the {@code ui-actions} thread.
 */
public interface HostSettings {

    /** The mode a newly seen VM starts in (default off, with a notification offering to enable it). */
    SyncMode defaultMode();

    void setDefaultMode(SyncMode mode);

    /** Whether text from one VM is relayed to the other VMs. */
    boolean shareBetweenVms();

    void setShareBetweenVms(boolean share);

    /** The size cap for text from a VM, in bytes of UTF-8. */
    int maxTextBytes();

    void setMaxTextBytes(int bytes);

    /** Whether C0/C1 controls (except tab and newline) and bidi overrides are stripped from VM text. */
    boolean sanitise();

    void setSanitise(boolean sanitise);
}
