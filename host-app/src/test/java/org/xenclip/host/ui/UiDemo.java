package org.xenclip.host.ui;

import static org.xenclip.host.ui.InMemoryHostModel.vm;
import static org.xenclip.host.ui.InMemoryHostModel.withError;
import static org.xenclip.host.ui.InMemoryHostModel.withTraffic;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.xenclip.host.tray.TrayProviders;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

/**
 * The UI on made-up VMs, for screenshots and for trying the UI by hand (scripts/screenshots.sh).
 * {@code --window} opens the window even when a tray is there.
 */
public final class UiDemo {

    private UiDemo() {}

    public static void main(String[] args) throws InterruptedException {
        InMemoryHostModel model = new InMemoryHostModel();
        Instant now = Instant.now();
        model.put(
                withTraffic(vm("work", VmState.CONNECTED, SyncMode.BOTH), now.minusSeconds(42), 18_432, 2_310),
                withTraffic(vm("banking", VmState.CONNECTED, SyncMode.TO_GUEST), now.minusSeconds(1_260), 512, 0),
                withError(
                        vm("untrusted-web", VmState.ERROR, SyncMode.FROM_GUEST),
                        VmState.ERROR,
                        "permission denied on /run/xen/untrusted-web.sock: join group xen"),
                vm("build_vm", VmState.WAITING_FOR_SOCKET, SyncMode.BOTH),
                vm("scratch", VmState.OFF, SyncMode.OFF));
        DesktopUi ui = new DesktopUi(TrayProviders.standard(), Clock.system(java.time.ZoneId.systemDefault()));
        ui.start(model, Optional.of(new FakeSettings()), () -> System.exit(0));
        model.announce(new HostNotification(
                HostNotification.Kind.OVERSIZE, "work", "3.2 MiB of text not copied to dom0: the limit is 1 MiB"));
        model.announce(new HostNotification(
                HostNotification.Kind.NEW_VM, "scratch", "found in /run/xen; sharing is off until you enable it"));
        if (List.of(args).contains("--window")) {
            Platform.runLater(() -> Window.getWindows().stream()
                    .filter(Stage.class::isInstance)
                    .map(Stage.class::cast)
                    .forEach(Stage::show));
        }
        new CountDownLatch(1).await();
    }
}
