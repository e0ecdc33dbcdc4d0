package org.xenclip.host.vm;

/** Which way clipboard text may cross one VM's channel. The per-VM toggle is OFF versus the rest. */
public enum SyncMode {
    OFF(false, false),
    TO_GUEST(true, false),
    FROM_GUEST(false, true),
    BOTH(true, true);

    private final boolean toGuest;
    private final boolean fromGuest;

    SyncMode(boolean toGuest, boolean fromGuest) {
        this.toGuest = toGuest;
        this.fromGuest = fromGuest;
    }

    /** dom0's copies go to this VM. */
    public boolean toGuest() {
        return toGuest;
    }

    /** This VM's copies come to dom0. */
    public boolean fromGuest() {
        return fromGuest;
    }
}
