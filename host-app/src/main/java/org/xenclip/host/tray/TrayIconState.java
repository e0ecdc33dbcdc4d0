package org.xenclip.host.tray;

import java.util.List;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/** What the tray icon shows, most urgent first: paused, attention, syncing, idle. */
public enum TrayIconState {
    IDLE,
    SYNCING,
    ATTENTION,
    PAUSED;

    /**
     * The icon for the VMs' states, the global pause and recent traffic.
     *
     * @param syncing whether text crossed a channel a moment ago (the caller decides how long a moment
     *     is, so this stays free of clocks)
     */
    public static TrayIconState of(List<VmStatus> vms, boolean paused, boolean syncing) {
        if (paused) {
            return PAUSED;
        }
        boolean attention = vms.stream()
                .anyMatch(vm -> vm.state() == VmState.ERROR || vm.pausedReason().isPresent());
        if (attention) {
            return ATTENTION;
        }
        return syncing ? SYNCING : IDLE;
    }
}
