package org.xenclip.host.ui;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBus;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.xenclip.host.vm.HostNotification;

/**
 * Desktop notifications through the org.freedesktop.Notifications service on the session bus. A new VM
 * gets an "Enable" action where the service supports actions. Calls run on the {@code desktop-notify}
 * thread; action signals arrive on dbus-java's threads.
 */
final class FreedesktopNotifier implements DesktopNotifier {

    private static final Logger LOG = Logger.getLogger(FreedesktopNotifier.class.getName());

    static final String SERVICE = "org.freedesktop.Notifications";
    static final String PATH = "/org/freedesktop/Notifications";
    static final String ENABLE_ACTION = "enable";

    /** The notification server's default expiry (spec: -1 lets the server decide). */
    static final int SERVER_DEFAULT_TIMEOUT = -1;

    /** Public for dbus-java's reflection; member names are the D-Bus ones. */
    @DBusInterfaceName("org.freedesktop.Notifications")
    @SuppressWarnings("MethodName") // D-Bus member names are PascalCase by specification
    public interface NotificationsService extends DBusInterface {
        UInt32 Notify(
                String appName,
                UInt32 replacesId,
                String appIcon,
                String summary,
                String body,
                List<String> actions,
                Map<String, Variant<?>> hints,
                int expireTimeout);

        List<String> GetCapabilities();

        class ActionInvoked extends DBusSignal {
            public final UInt32 id;
            public final String actionKey;

            public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
                super(path, id, actionKey);
                this.id = id;
                this.actionKey = actionKey;
            }
        }
    }

    private final DBusConnection connection;
    private final NotificationsService service;
    private final boolean actions;
    private final Map<Long, Runnable> enableActions = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "desktop-notify");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.log(Level.WARNING, "uncaught exception on " + t.getName(), e));
        return thread;
    });
    private volatile boolean enabled = true;

    private FreedesktopNotifier(DBusConnection connection, NotificationsService service, boolean actions) {
        this.connection = connection;
        this.service = service;
        this.actions = actions;
    }

    /** The notifier if the session bus has (or can start) a notification service. */
    static Optional<DesktopNotifier> open() {
        return open(System.getenv("DBUS_SESSION_BUS_ADDRESS"));
    }

    /** The notifier on the bus at {@code address}, if that bus has (or can start) a notification service. */
    static Optional<DesktopNotifier> open(String address) {
        if (address == null || address.isEmpty()) {
            return Optional.empty();
        }
        DBusConnection connection = null;
        try {
            connection =
                    DBusConnectionBuilder.forAddress(address).withShared(false).build();
            DBus bus = connection.getRemoteObject("org.freedesktop.DBus", "/org/freedesktop/DBus", DBus.class);
            if (!bus.NameHasOwner(SERVICE)
                    && !Arrays.asList(bus.ListActivatableNames()).contains(SERVICE)) {
                LOG.info("notifications: no " + SERVICE + " on the session bus, the window lists them");
                connection.close();
                return Optional.empty();
            }
            NotificationsService service = connection.getRemoteObject(SERVICE, PATH, NotificationsService.class);
            boolean actions = service.GetCapabilities().contains("actions");
            FreedesktopNotifier notifier = new FreedesktopNotifier(connection, service, actions);
            connection.addSigHandler(NotificationsService.ActionInvoked.class, notifier::actionInvoked);
            return Optional.of(notifier);
        } catch (DBusException | DBusExecutionException | IOException e) {
            LOG.log(Level.INFO, "notifications: desktop notifications unavailable", e);
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException ignored) {
                    // the first failure is the one reported
                }
            }
            return Optional.empty();
        }
    }

    private void actionInvoked(NotificationsService.ActionInvoked signal) {
        if (ENABLE_ACTION.equals(signal.actionKey)) {
            Runnable enable = enableActions.remove(signal.id.longValue());
            if (enable != null) {
                enable.run();
            }
        }
    }

    @Override
    public void show(HostNotification notification, Runnable enable) {
        if (!enabled) {
            return;
        }
        executor.execute(() -> {
            boolean offerEnable = actions && notification.kind() == HostNotification.Kind.NEW_VM;
            List<String> actionList = offerEnable ? List.of(ENABLE_ACTION, "Enable") : List.of();
            byte urgency = (byte) (notification.kind() == HostNotification.Kind.ERROR ? 2 : 1);
            try {
                UInt32 id = service.Notify(
                        "xenclip",
                        new UInt32(0),
                        "edit-paste",
                        Notifications.summary(notification),
                        notification.message(),
                        actionList,
                        Map.of("urgency", new Variant<>(urgency)),
                        SERVER_DEFAULT_TIMEOUT);
                if (offerEnable) {
                    enableActions.put(id.longValue(), enable);
                }
            } catch (DBusExecutionException e) {
                LOG.log(Level.FINE, "notifications: Notify failed", e);
            }
        });
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            connection.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "notifications: closing the D-Bus connection failed", e);
        }
    }
}
