package org.xenclip.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xenclip.host.connection.ConnectionTiming;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.testing.Await;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/** Builds a {@link HostEngine} on a temporary config directory with test timings. */
final class EngineFixture {

    static ConnectionTiming fastTiming() {
        return new ConnectionTiming(
                Duration.ofMillis(50),
                Duration.ofMillis(400),
                Duration.ofMillis(300),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                4L << 20,
                Duration.ofSeconds(2),
                Duration.ofSeconds(10));
    }

    static HostEngine engine(Path configDir, LocalClipboard clipboard, List<StaticVm> vms, Optional<Path> socketDir) {
        SettingsStore store = SettingsStore.open(configDir, Duration.ofMillis(50), m -> {});
        HostEngine e = new HostEngine(
                store, new HostEngine.Options(vms, socketDir, Optional.empty(), fastTiming()), clipboard);
        return e;
    }

    static VmStatus status(HostEngine e, String vm) {
        return e.vms().stream().filter(s -> s.name().equals(vm)).findFirst().orElse(null);
    }

    static void awaitState(HostEngine e, String vm, VmState state) {
        Await.until(vm + " " + state + " (now " + status(e, vm) + ")", Duration.ofSeconds(15), () -> {
            VmStatus s = status(e, vm);
            return s != null && s.state() == state;
        });
    }

    static List<HostNotification> notifications(HostEngine e) {
        List<HostNotification> list = new CopyOnWriteArrayList<>();
        e.addNotificationListener(list::add);
        return list;
    }

    private EngineFixture() {}
}
