package org.xenclip.host.tray;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.xenclip.host.tray.DbusTypes.IconPixmap;
import org.xenclip.host.tray.DbusTypes.ItemProperties;
import org.xenclip.host.tray.DbusTypes.MenuEvent;
import org.xenclip.host.tray.DbusTypes.MenuLayout;
import org.xenclip.host.tray.DbusTypes.Pair;
import org.xenclip.host.tray.DbusTypes.ToolTip;

/**
 * A StatusNotifierItem on the session bus with its menu exported over com.canonical.dbusmenu: what KDE,
 * GNOME with the AppIndicator extension, XFCE and most current panels show.
 *
 * <p>Threads: D-Bus calls arrive on dbus-java's worker threads; the shown state is one immutable
 * {@link Shown} in a volatile field, replaced whole by {@link #update}.
 */
final class SniTray implements Tray {

    private static final Logger LOG = Logger.getLogger(SniTray.class.getName());

    static final String WATCHER = "org.kde.StatusNotifierWatcher";
    static final String ITEM_PATH = "/StatusNotifierItem";
    static final String MENU_PATH = "/MenuBar";
    static final String ITEM_INTERFACE = "org.kde.StatusNotifierItem";
    static final String MENU_INTERFACE = "com.canonical.dbusmenu";

    /** Icon sizes offered to the host, which picks the closest to its panel height. */
    static final int[] ICON_SIZES = {16, 22, 24, 32, 48};

    private record Shown(DbusMenuTree menu, int revision, TrayIconState icon, String tooltip) {}

    private final DBusConnection connection;
    private final TrayCommands commands;
    private final DbusMenuTree.Ids ids = new DbusMenuTree.Ids();
    private volatile Shown shown;

    private SniTray(DBusConnection connection, TrayCommands commands) {
        this.connection = connection;
        this.commands = commands;
        this.shown = new Shown(new DbusMenuTree(new TrayMenuModel(List.of()), ids), 1, TrayIconState.IDLE, "xenclip");
    }

    static final class Provider implements TrayProvider {
        private final java.util.function.Supplier<String> busAddress;

        /** The session bus of this desktop session. */
        Provider() {
            this(() -> System.getenv("DBUS_SESSION_BUS_ADDRESS"));
        }

        Provider(java.util.function.Supplier<String> busAddress) {
            this.busAddress = busAddress;
        }

        @Override
        public String name() {
            return "StatusNotifierItem (D-Bus)";
        }

        @Override
        public int priority() {
            return 10;
        }

        @Override
        public Optional<Tray> open(TrayCommands commands) {
            String address = busAddress.get();
            if (address == null || address.isEmpty()) {
                LOG.info("tray: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset), no StatusNotifierItem");
                return Optional.empty();
            }
            DBusConnection connection;
            try {
                connection = DBusConnectionBuilder.forAddress(address)
                        .withShared(false)
                        .build();
            } catch (DBusException e) {
                LOG.info(() -> "tray: cannot connect to the D-Bus session bus: " + e.getMessage());
                return Optional.empty();
            }
            try {
                DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
                if (!bus.NameHasOwner(WATCHER)) {
                    LOG.info("tray: no StatusNotifierWatcher on the session bus");
                    connection.close();
                    return Optional.empty();
                }
                SniTray tray = new SniTray(connection, commands);
                tray.register();
                return Optional.of(tray);
            } catch (DBusException | DBusExecutionException | IOException e) {
                LOG.log(Level.INFO, "tray: StatusNotifierItem registration failed", e);
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // already failing; the first error is the one worth reporting
                }
                return Optional.empty();
            }
        }
    }

    private void register() throws DBusException {
        String busName = "org.kde.StatusNotifierItem-" + ProcessHandle.current().pid() + "-1";
        connection.requestBusName(busName);
        connection.exportObject(ITEM_PATH, new Item());
        connection.exportObject(MENU_PATH, new Menu());
        DbusTypes.StatusNotifierWatcher watcher =
                connection.getRemoteObject(WATCHER, "/StatusNotifierWatcher", DbusTypes.StatusNotifierWatcher.class);
        watcher.RegisterStatusNotifierItem(busName);
    }

    @Override
    public String name() {
        return "StatusNotifierItem (D-Bus)";
    }

    @Override
    public void update(TrayMenuModel menu, TrayIconState icon, String tooltip) {
        Shown before;
        Shown after;
        synchronized (ids) {
            before = shown;
            boolean menuChanged = !menu.describe().equals(describe(before.menu()));
            after = new Shown(
                    new DbusMenuTree(menu, ids),
                    menuChanged ? before.revision() + 1 : before.revision(),
                    icon,
                    tooltip);
            shown = after;
        }
        if (after.revision() != before.revision()) {
            send(() -> new DbusTypes.DbusMenu.LayoutUpdated(MENU_PATH, new UInt32(after.revision()), 0));
        }
        if (after.icon() != before.icon()) {
            send(() -> new DbusTypes.StatusNotifierItem.NewIcon(ITEM_PATH));
            send(() -> new DbusTypes.StatusNotifierItem.NewStatus(ITEM_PATH, status(after.icon())));
        }
        if (!after.tooltip().equals(before.tooltip())) {
            send(() -> new DbusTypes.StatusNotifierItem.NewToolTip(ITEM_PATH));
        }
    }

    private static String describe(DbusMenuTree tree) {
        List<TrayMenuItem> items = new ArrayList<>();
        tree.root().children().forEach(node -> items.add(node.item()));
        return new TrayMenuModel(items).describe();
    }

    private interface SignalFactory {
        DBusSignal create() throws DBusException;
    }

    private void send(SignalFactory signal) {
        try {
            connection.sendMessage(signal.create());
        } catch (DBusException | RuntimeException e) {
            LOG.log(Level.FINE, "tray: signal not sent", e);
        }
    }

    private static String status(TrayIconState icon) {
        return icon == TrayIconState.ATTENTION ? "NeedsAttention" : "Active";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "tray: closing the D-Bus connection failed", e);
        }
    }

    static List<IconPixmap> pixmaps(TrayIconState state) {
        List<IconPixmap> pixmaps = new ArrayList<>();
        for (int size : ICON_SIZES) {
            int[] argb = TrayIconImages.argb(state, size);
            byte[] bytes = new byte[argb.length * 4];
            for (int i = 0; i < argb.length; i++) {
                // SNI spec: ARGB32 in network byte order
                bytes[i * 4] = (byte) (argb[i] >>> 24);
                bytes[i * 4 + 1] = (byte) (argb[i] >>> 16);
                bytes[i * 4 + 2] = (byte) (argb[i] >>> 8);
                bytes[i * 4 + 3] = (byte) argb[i];
            }
            pixmaps.add(new IconPixmap(size, size, bytes));
        }
        return pixmaps;
    }

    static Variant<?> variant(Object value) {
        if (value instanceof Integer i) {
            return new Variant<>(i);
        }
        if (value instanceof Boolean b) {
            return new Variant<>(b);
        }
        return new Variant<>(String.valueOf(value));
    }

    static MenuLayout layout(DbusMenuTree.Node node, int depth) {
        Map<String, Variant<?>> properties = new LinkedHashMap<>();
        node.properties().forEach((key, value) -> properties.put(key, variant(value)));
        List<Variant<?>> children = new ArrayList<>();
        if (depth != 0) {
            for (DbusMenuTree.Node child : node.children()) {
                children.add(new Variant<>(layout(child, depth - 1), MenuLayout.SIGNATURE));
            }
        }
        return new MenuLayout(node.id(), properties, children);
    }

    /** The exported org.kde.StatusNotifierItem object. */
    public final class Item implements DbusTypes.StatusNotifierItem, Properties {
        @Override
        public String getObjectPath() {
            return ITEM_PATH;
        }

        @Override
        public void Activate(int x, int y) {
            commands.openWindow();
        }

        @Override
        public void SecondaryActivate(int x, int y) {
            commands.openWindow();
        }

        @Override
        public void ContextMenu(int x, int y) {
            // the host shows the dbusmenu itself; nothing to draw here
        }

        @Override
        public void Scroll(int delta, String orientation) {
            // scrolling over the icon means nothing here
        }

        @Override
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // dbus-java's Properties signature
        public <A> A Get(String interfaceName, String propertyName) {
            return (A) GetAll(interfaceName).get(propertyName);
        }

        @Override
        public <A> void Set(String interfaceName, String propertyName, A value) {
            throw new DBusExecutionException("property " + propertyName + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String interfaceName) {
            Shown now = shown;
            Map<String, Variant<?>> all = new LinkedHashMap<>();
            all.put("Category", new Variant<>("ApplicationStatus"));
            all.put("Id", new Variant<>("xenclip"));
            all.put("Title", new Variant<>("xenclip"));
            all.put("Status", new Variant<>(status(now.icon())));
            all.put("WindowId", new Variant<>(0));
            all.put("IconName", new Variant<>(""));
            all.put("IconPixmap", new Variant<>(pixmaps(now.icon()), IconPixmap.ARRAY_SIGNATURE));
            all.put("OverlayIconName", new Variant<>(""));
            all.put("AttentionIconName", new Variant<>(""));
            all.put("AttentionIconPixmap", new Variant<>(pixmaps(TrayIconState.ATTENTION), IconPixmap.ARRAY_SIGNATURE));
            all.put("AttentionMovieName", new Variant<>(""));
            all.put("IconThemePath", new Variant<>(""));
            all.put(
                    "ToolTip",
                    new Variant<>(new ToolTip("", pixmaps(now.icon()), "xenclip", now.tooltip()), ToolTip.SIGNATURE));
            all.put("ItemIsMenu", new Variant<>(false));
            all.put("Menu", new Variant<>(DbusTypes.path(MENU_PATH)));
            return all;
        }
    }

    /** The exported com.canonical.dbusmenu object. */
    public final class Menu implements DbusTypes.DbusMenu, Properties {
        @Override
        public String getObjectPath() {
            return MENU_PATH;
        }

        @Override
        public Pair<UInt32, MenuLayout> GetLayout(int parentId, int recursionDepth, List<String> propertyNames) {
            Shown now = shown;
            DbusMenuTree.Node node = now.menu().node(parentId);
            if (node == null) {
                node = now.menu().root();
            }
            return new Pair<>(new UInt32(now.revision()), layout(node, recursionDepth));
        }

        @Override
        public List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames) {
            DbusMenuTree tree = shown.menu();
            List<ItemProperties> result = new ArrayList<>();
            for (int id : ids) {
                DbusMenuTree.Node node = tree.node(id);
                if (node != null) {
                    Map<String, Variant<?>> properties = new LinkedHashMap<>();
                    node.properties().forEach((key, value) -> {
                        if (propertyNames.isEmpty() || propertyNames.contains(key)) {
                            properties.put(key, variant(value));
                        }
                    });
                    result.add(new ItemProperties(id, properties));
                }
            }
            return result;
        }

        @Override
        public Variant<?> GetProperty(int id, String name) {
            DbusMenuTree.Node node = shown.menu().node(id);
            Object value = node == null ? null : node.properties().get(name);
            if (value == null) {
                throw new DBusExecutionException("menu item " + id + " has no property " + name);
            }
            return variant(value);
        }

        @Override
        public void Event(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            if (!"clicked".equals(eventId)) {
                return;
            }
            DbusMenuTree.Node node = shown.menu().node(id);
            if (node != null) {
                DbusMenuTree.click(node);
            }
        }

        @Override
        public List<Integer> EventGroup(List<MenuEvent> events) {
            List<Integer> unknown = new ArrayList<>();
            for (MenuEvent event : events) {
                if (shown.menu().node(event.id) == null) {
                    unknown.add(event.id);
                } else {
                    Event(event.id, event.eventId, event.data, event.timestamp);
                }
            }
            return unknown;
        }

        @Override
        public boolean AboutToShow(int id) {
            return false;
        }

        @Override
        public Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids) {
            return new Pair<>(List.of(), List.of());
        }

        @Override
        @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // dbus-java's Properties signature
        public <A> A Get(String interfaceName, String propertyName) {
            return (A) GetAll(interfaceName).get(propertyName);
        }

        @Override
        public <A> void Set(String interfaceName, String propertyName, A value) {
            throw new DBusExecutionException("property " + propertyName + " is read-only");
        }

        @Override
        public Map<String, Variant<?>> GetAll(String interfaceName) {
            Map<String, Variant<?>> all = new LinkedHashMap<>();
            all.put("Version", new Variant<>(new UInt32(3)));
            all.put("TextDirection", new Variant<>("ltr"));
            all.put("Status", new Variant<>("normal"));
            all.put("IconThemePath", new Variant<>(List.of(), "as"));
            return all;
        }
    }
}
