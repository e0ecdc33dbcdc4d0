package org.xenclip.host.tray;

import java.util.List;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/** The words the tray and the window use for states and modes, kept in one place so both agree. */
public final class VmLabels {

    private VmLabels() {}

    public static String state(VmStatus vm) {
        if (vm.pausedReason().isPresent()) {
            return "Paused (too fast)";
        }
        if (vm.state() == VmState.CONNECTED && !vm.agentAlive()) {
            return "Connected, agent silent";
        }
        return state(vm.state());
    }

    public static String state(VmState state) {
        return switch (state) {
            case OFF -> "Off";
            case WAITING_FOR_SOCKET -> "Waiting for VM";
            case CONNECTING -> "Connecting";
            case HANDSHAKING -> "Handshaking";
            case CONNECTED -> "Connected";
            case ERROR -> "Error";
        };
    }

    public static String mode(SyncMode mode) {
        return switch (mode) {
            case OFF -> "Off";
            case TO_GUEST -> "dom0 \u2192 VM only";
            case FROM_GUEST -> "VM \u2192 dom0 only";
            case BOTH -> "Both ways";
        };
    }

    /** The tray tooltip: how many VMs share, and what needs the user. */
    public static String summary(List<VmStatus> vms, boolean paused) {
        if (paused) {
            return "xenclip: paused";
        }
        long on = vms.stream().filter(vm -> vm.mode() != SyncMode.OFF).count();
        long attention = vms.stream()
                .filter(vm -> vm.state() == VmState.ERROR || vm.pausedReason().isPresent())
                .count();
        String text = "xenclip: sharing with " + on + " of " + vms.size() + (vms.size() == 1 ? " VM" : " VMs");
        if (attention > 0) {
            text += ", " + attention + (attention == 1 ? " needs" : " need") + " attention";
        }
        return text;
    }
}
