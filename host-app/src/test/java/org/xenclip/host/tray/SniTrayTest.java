package org.xenclip.host.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.ui.InMemoryHostModel.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

/**
 * The StatusNotifierItem and its dbusmenu on a real, private session bus (dbus-daemon), read back the way
 * a tray host reads them.
 */
class SniTrayTest {

    private Process daemon;
    private String address;
    private DBusConnection host;
    private final List<String> registered = new CopyOnWriteArrayList<>();
    private final TrayMenuModelTest.RecordingCommands commands = new TrayMenuModelTest.RecordingCommands();
    private Tray tray;

    /** Stands in for the tray host's registry: records who registered. */
    final class Watcher implements DbusTypes.StatusNotifierWatcher {
        @Override
        public void RegisterStatusNotifierItem(String service) {
            registered.add(service);
        }

        @Override
        public String getObjectPath() {
            return "/StatusNotifierWatcher";
        }
    }

    @BeforeEach
    void startBus() throws Exception {
        try {
            daemon = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new AssertionError("dbus-daemon is needed for this test: apt-get install dbus", e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        address = out.readLine();
        assertThat(address).as("dbus-daemon's address").startsWith("unix:");
        host = DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }

    @AfterEach
    void stopBus() throws IOException {
        if (tray != null) {
            tray.close();
        }
        if (host != null) {
            host.close();
        }
        daemon.destroy();
    }

    @Test
    void isUnavailableWithoutAWatcher() {
        assertThat(new SniTray.Provider(() -> address).open(commands)).isEmpty();
        assertThat(new SniTray.Provider(() -> null).open(commands)).isEmpty();
    }

    @Test
    void registersAndServesIconAndMenuAsATrayHostReadsThem() throws Exception {
        host.requestBusName(SniTray.WATCHER);
        host.exportObject(new Watcher());

        tray = new SniTray.Provider(() -> address).open(commands).orElseThrow();
        tray.update(
                TrayMenuModel.of(
                        List.of(vm("dev_vm", VmState.CONNECTED, SyncMode.BOTH), vm("mail", VmState.OFF, SyncMode.OFF)),
                        false,
                        commands),
                TrayIconState.IDLE,
                "xenclip: sharing with 1 of 2 VMs");

        String item = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
        assertThat(registered).containsExactly(item);

        Properties itemProperties = host.getRemoteObject(item, SniTray.ITEM_PATH, Properties.class);
        assertThat((String) itemProperties.Get(SniTray.ITEM_INTERFACE, "Status"))
                .isEqualTo("Active");
        assertThat((DBusPath) itemProperties.Get(SniTray.ITEM_INTERFACE, "Menu"))
                .isEqualTo(new DBusPath("/MenuBar"));
        List<?> pixmaps = itemProperties.Get(SniTray.ITEM_INTERFACE, "IconPixmap");
        assertThat(pixmaps).hasSize(SniTray.ICON_SIZES.length);

        DbusTypes.DbusMenu menu = host.getRemoteObject(item, SniTray.MENU_PATH, DbusTypes.DbusMenu.class);
        DbusTypes.Pair<UInt32, DbusTypes.MenuLayout> layout = menu.GetLayout(0, -1, List.of());
        assertThat(layout.second.id).isZero();
        assertThat(labels(layout.second.children))
                .containsExactly(
                        "dev__vm \u2014 Connected \u00b7 Both ways",
                        "mail \u2014 Off",
                        null,
                        "Pause all syncing",
                        "Open xenclip window",
                        null,
                        "Quit xenclip");

        int pauseId = idOf(layout.second.children, "Pause all syncing");
        menu.Event(pauseId, "clicked", new Variant<>(""), new UInt32(0));
        await(() -> commands.calls.contains("paused true"));
    }

    @Test
    void announcesANewLayoutAndIconWhenTheModelChanges() throws Exception {
        host.requestBusName(SniTray.WATCHER);
        host.exportObject(new Watcher());
        BlockingQueue<Long> revisions = new LinkedBlockingQueue<>();
        host.addSigHandler(
                DbusTypes.DbusMenu.LayoutUpdated.class, signal -> revisions.add(signal.revision.longValue()));
        tray = new SniTray.Provider(() -> address).open(commands).orElseThrow();

        tray.update(TrayMenuModel.of(List.of(), true, commands), TrayIconState.PAUSED, "xenclip: paused");

        assertThat(revisions.poll(5, TimeUnit.SECONDS)).isEqualTo(2L);
        String item = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
        Properties itemProperties = host.getRemoteObject(item, SniTray.ITEM_PATH, Properties.class);
        assertThat((String) itemProperties.Get(SniTray.ITEM_INTERFACE, "Status"))
                .isEqualTo("Active");
        DbusTypes.DbusMenu menu = host.getRemoteObject(item, SniTray.MENU_PATH, DbusTypes.DbusMenu.class);
        assertThat(menu.GetLayout(0, -1, List.of()).first.longValue()).isEqualTo(2L);
    }

    /** The label of each child of a layout, null for separators; children arrive as (ia{sv}av) structs. */
    private static List<String> labels(List<Variant<?>> children) {
        List<String> labels = new ArrayList<>();
        for (Variant<?> child : children) {
            Object label = properties(child).get("label");
            labels.add(label == null ? null : (String) ((Variant<?>) label).getValue());
        }
        return labels;
    }

    private static int idOf(List<Variant<?>> children, String label) {
        for (Variant<?> child : children) {
            Object value = properties(child).get("label");
            if (value != null && label.equals(((Variant<?>) value).getValue())) {
                return (Integer) fields(child)[0];
            }
        }
        throw new AssertionError("no menu entry labelled " + label);
    }

    private static Map<?, ?> properties(Variant<?> child) {
        return (Map<?, ?>) fields(child)[1];
    }

    private static Object[] fields(Variant<?> child) {
        Object value = child.getValue();
        if (value instanceof Object[] array) {
            return array;
        }
        if (value instanceof List<?> list) {
            return list.toArray();
        }
        if (value instanceof DbusTypes.MenuLayout layout) {
            return new Object[] {layout.id, layout.properties, layout.children};
        }
        throw new AssertionError("unexpected layout child " + value.getClass());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }
}
