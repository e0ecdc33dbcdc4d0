package org.xenclip.host.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.ui.InMemoryHostModel.vm;
import static org.xenclip.host.ui.InMemoryHostModel.withError;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xenclip.host.tray.TrayMenuItem.Action;
import org.xenclip.host.tray.TrayMenuItem.Submenu;
import org.xenclip.host.tray.TrayMenuItem.Toggle;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

class TrayMenuModelTest {

    /** Records what the menu asked for. */
    static final class RecordingCommands implements TrayCommands {
        final List<String> calls = new ArrayList<>();

        @Override
        public void setEnabled(String vmName, boolean enabled) {
            calls.add("enabled " + vmName + " " + enabled);
        }

        @Override
        public void setMode(String vmName, SyncMode mode) {
            calls.add("mode " + vmName + " " + mode);
        }

        @Override
        public void setPaused(boolean paused) {
            calls.add("paused " + paused);
        }

        @Override
        public void openWindow() {
            calls.add("open");
        }

        @Override
        public void quit() {
            calls.add("quit");
        }
    }

    private final RecordingCommands commands = new RecordingCommands();

    private static final List<VmStatus> VMS = List.of(
            vm("build_vm", VmState.CONNECTED, SyncMode.BOTH),
            withError(
                    vm("mail", VmState.ERROR, SyncMode.TO_GUEST),
                    VmState.ERROR,
                    "permission denied on /run/xen/mail.sock: join group xen"),
            vm("web", VmState.OFF, SyncMode.OFF));

    @Test
    void listsOneSubmenuPerVmThenPauseOpenAndQuit() {
        TrayMenuModel menu = TrayMenuModel.of(VMS, false, commands);

        assertThat(menu.describe())
                .isEqualTo(
                        """
                        > build_vm \u2014 Connected \u00b7 Both ways
                          [x] Share clipboard
                          ---
                          (o) Both ways
                          ( ) dom0 \u2192 VM only
                          ( ) VM \u2192 dom0 only
                          ---
                          ~State: Connected
                        > mail \u2014 Error \u00b7 dom0 \u2192 VM only
                          [x] Share clipboard
                          ---
                          ( ) Both ways
                          (o) dom0 \u2192 VM only
                          ( ) VM \u2192 dom0 only
                          ---
                          ~State: Error
                          ~permission denied on /run/xen/mail.sock: join group xen
                        > web \u2014 Off
                          [ ] Share clipboard
                          ---
                          ( ) Both ways
                          ( ) dom0 \u2192 VM only
                          ( ) VM \u2192 dom0 only
                          ---
                          ~State: Off
                        ---
                        [ ] Pause all syncing
                        Open xenclip window
                        ---
                        Quit xenclip
                        """);
    }

    @Test
    void vmToggleAndDirectionCallTheCommandsForThatVm() {
        TrayMenuModel menu = TrayMenuModel.of(VMS, false, commands);

        toggle(menu, "vm:web:enabled").onChange().accept(true);
        toggle(menu, "vm:build_vm:enabled").onChange().accept(false);
        toggle(menu, "vm:mail:mode:FROM_GUEST").onChange().accept(true);
        toggle(menu, "vm:mail:mode:BOTH").onChange().accept(false);

        assertThat(commands.calls)
                .containsExactly("enabled web true", "enabled build_vm false", "mode mail FROM_GUEST");
    }

    @Test
    void pauseOpenAndQuitCallTheirCommands() {
        TrayMenuModel menu = TrayMenuModel.of(VMS, true, commands);

        Toggle pause = toggle(menu, TrayMenuModel.PAUSE_ID);
        assertThat(pause.selected()).isTrue();
        pause.onChange().accept(false);
        ((Action) menu.find(TrayMenuModel.OPEN_ID).orElseThrow()).onSelect().run();
        ((Action) menu.find(TrayMenuModel.QUIT_ID).orElseThrow()).onSelect().run();

        assertThat(commands.calls).containsExactly("paused false", "open", "quit");
    }

    @Test
    void saysSoWhenThereIsNoVm() {
        TrayMenuModel menu = TrayMenuModel.of(List.of(), false, commands);

        assertThat(menu.items().get(0)).isInstanceOfSatisfying(Action.class, action -> {
            assertThat(action.label()).isEqualTo("No VMs with a clipboard channel");
            assertThat(action.enabled()).isFalse();
        });
        assertThat(menu.items()).filteredOn(Submenu.class::isInstance).isEmpty();
    }

    @Test
    void showsRateLimitPauseAsStateAndReason() {
        VmStatus flooding = new VmStatus(
                "noisy",
                "/run/xen/noisy.sock",
                "xenstore",
                VmState.CONNECTED,
                SyncMode.BOTH,
                true,
                java.util.Optional.empty(),
                0,
                0,
                java.util.Optional.empty(),
                java.util.Optional.of("clipboard changed 40 times in 1 s"));

        TrayMenuModel menu = TrayMenuModel.of(List.of(flooding), false, commands);

        assertThat(((Submenu) menu.find("vm:noisy").orElseThrow()).label())
                .isEqualTo("noisy \u2014 Paused (too fast) \u00b7 Both ways");
        assertThat(((Action) menu.find("vm:noisy:paused").orElseThrow()).label())
                .isEqualTo("clipboard changed 40 times in 1 s");
    }

    @Test
    void iconStateGoesPausedThenAttentionThenSyncingThenIdle() {
        List<VmStatus> healthy = List.of(vm("a", VmState.CONNECTED, SyncMode.BOTH));

        assertThat(TrayIconState.of(VMS, true, true)).isEqualTo(TrayIconState.PAUSED);
        assertThat(TrayIconState.of(VMS, false, true)).isEqualTo(TrayIconState.ATTENTION);
        assertThat(TrayIconState.of(healthy, false, true)).isEqualTo(TrayIconState.SYNCING);
        assertThat(TrayIconState.of(healthy, false, false)).isEqualTo(TrayIconState.IDLE);
    }

    @Test
    void tooltipCountsSharingVmsAndThoseNeedingAttention() {
        assertThat(VmLabels.summary(VMS, false)).isEqualTo("xenclip: sharing with 2 of 3 VMs, 1 needs attention");
        assertThat(VmLabels.summary(VMS.subList(0, 1), false)).isEqualTo("xenclip: sharing with 1 of 1 VM");
        assertThat(VmLabels.summary(VMS, true)).isEqualTo("xenclip: paused");
    }

    @Test
    void iconsHaveTheAskedSizeAndDifferPerState() {
        for (int size : new int[] {16, 22, 48, 256}) {
            assertThat(TrayIconImages.argb(TrayIconState.IDLE, size)).hasSize(size * size);
        }
        assertThat(TrayIconImages.argb(TrayIconState.IDLE, 22))
                .isNotEqualTo(TrayIconImages.argb(TrayIconState.ATTENTION, 22))
                .isNotEqualTo(TrayIconImages.argb(TrayIconState.PAUSED, 22))
                .isNotEqualTo(TrayIconImages.argb(TrayIconState.SYNCING, 22));
    }

    @Test
    void everyTrayStateHasTheIconsModulePictureOfTheSameName() {
        for (TrayIconState state : TrayIconState.values()) {
            assertThat(TrayIconImages.iconState(state).name()).isEqualTo(state.name());
        }
        assertThat(TrayIconImages.appArgb(32))
                .hasSize(32 * 32)
                .isNotEqualTo(TrayIconImages.argb(TrayIconState.IDLE, 32));
    }

    static Toggle toggle(TrayMenuModel menu, String id) {
        return (Toggle) menu.find(id).orElseThrow(() -> new AssertionError("no menu entry " + id));
    }
}
