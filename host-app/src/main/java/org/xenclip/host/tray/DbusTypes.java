package org.xenclip.host.tray;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.Tuple;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The D-Bus interfaces of the StatusNotifierItem and dbusmenu specifications, as dbus-java needs them.
 * Public only because dbus-java reaches them by reflection; method names are the D-Bus member names.
 */
@SuppressWarnings({"MethodName", "MemberName"}) // D-Bus member names are PascalCase by specification
public final class DbusTypes {

    private DbusTypes() {}

    /** The item a tray host shows: properties via org.freedesktop.DBus.Properties, plus these calls. */
    @DBusInterfaceName("org.kde.StatusNotifierItem")
    public interface StatusNotifierItem extends DBusInterface {
        void Activate(int x, int y);

        void SecondaryActivate(int x, int y);

        void ContextMenu(int x, int y);

        void Scroll(int delta, String orientation);

        class NewIcon extends DBusSignal {
            public NewIcon(String path) throws DBusException {
                super(path);
            }
        }

        class NewToolTip extends DBusSignal {
            public NewToolTip(String path) throws DBusException {
                super(path);
            }
        }

        class NewStatus extends DBusSignal {
            public final String status;

            public NewStatus(String path, String status) throws DBusException {
                super(path, status);
                this.status = status;
            }
        }
    }

    /** The registry that the tray host runs. */
    @DBusInterfaceName("org.kde.StatusNotifierWatcher")
    public interface StatusNotifierWatcher extends DBusInterface {
        void RegisterStatusNotifierItem(String service);
    }

    /** The menu protocol of libdbusmenu, version 3, as SNI hosts read it. */
    @DBusInterfaceName("com.canonical.dbusmenu")
    public interface DbusMenu extends DBusInterface {
        Pair<UInt32, MenuLayout> GetLayout(int parentId, int recursionDepth, List<String> propertyNames);

        List<ItemProperties> GetGroupProperties(List<Integer> ids, List<String> propertyNames);

        Variant<?> GetProperty(int id, String name);

        void Event(int id, String eventId, Variant<?> data, UInt32 timestamp);

        List<Integer> EventGroup(List<MenuEvent> events);

        boolean AboutToShow(int id);

        Pair<List<Integer>, List<Integer>> AboutToShowGroup(List<Integer> ids);

        class LayoutUpdated extends DBusSignal {
            public final UInt32 revision;
            public final int parent;

            public LayoutUpdated(String path, UInt32 revision, int parent) throws DBusException {
                super(path, revision, parent);
                this.revision = revision;
                this.parent = parent;
            }
        }
    }

    /** Two out-arguments of one method call. */
    public static final class Pair<A, B> extends Tuple {
        @Position(0)
        public final A first;

        @Position(1)
        public final B second;

        public Pair(A first, B second) {
            this.first = first;
            this.second = second;
        }
    }

    /** {@code (ia{sv}av)}: an item, its properties and its children, each child a variant of the same. */
    public static final class MenuLayout extends Struct {
        /** The D-Bus signature of this struct, needed for the children variants. */
        public static final String SIGNATURE = "(ia{sv}av)";

        @Position(0)
        public final int id;

        @Position(1)
        public final Map<String, Variant<?>> properties;

        @Position(2)
        public final List<Variant<?>> children;

        public MenuLayout(int id, Map<String, Variant<?>> properties, List<Variant<?>> children) {
            this.id = id;
            this.properties = properties;
            this.children = children;
        }
    }

    /** {@code (ia{sv})}. */
    public static final class ItemProperties extends Struct {
        @Position(0)
        public final int id;

        @Position(1)
        public final Map<String, Variant<?>> properties;

        public ItemProperties(int id, Map<String, Variant<?>> properties) {
            this.id = id;
            this.properties = properties;
        }
    }

    /** {@code (isvu)}. */
    public static final class MenuEvent extends Struct {
        @Position(0)
        public final int id;

        @Position(1)
        public final String eventId;

        @Position(2)
        public final Variant<?> data;

        @Position(3)
        public final UInt32 timestamp;

        public MenuEvent(int id, String eventId, Variant<?> data, UInt32 timestamp) {
            this.id = id;
            this.eventId = eventId;
            this.data = data;
            this.timestamp = timestamp;
        }
    }

    /** {@code (iiay)}: ARGB32 in network byte order. */
    public static final class IconPixmap extends Struct {
        public static final String ARRAY_SIGNATURE = "a(iiay)";

        @Position(0)
        public final int width;

        @Position(1)
        public final int height;

        @Position(2)
        public final byte[] pixels;

        public IconPixmap(int width, int height, byte[] pixels) {
            this.width = width;
            this.height = height;
            this.pixels = pixels;
        }
    }

    /** {@code (sa(iiay)ss)}: icon name, icon pixmaps, title, text. */
    public static final class ToolTip extends Struct {
        public static final String SIGNATURE = "(sa(iiay)ss)";

        @Position(0)
        public final String iconName;

        @Position(1)
        public final List<IconPixmap> icon;

        @Position(2)
        public final String title;

        @Position(3)
        public final String text;

        public ToolTip(String iconName, List<IconPixmap> icon, String title, String text) {
            this.iconName = iconName;
            this.icon = icon;
            this.title = title;
            this.text = text;
        }
    }

    static DBusPath path(String path) {
        return new DBusPath(path);
    }
}
