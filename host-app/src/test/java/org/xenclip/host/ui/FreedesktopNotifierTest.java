package org.xenclip.host.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.host.vm.HostNotification;

/** Desktop notifications on a real, private session bus, with a notification server that records calls. */
class FreedesktopNotifierTest {

    private Process daemon;
    private String address;
    private DBusConnection server;
    private final BlockingQueue<String> shown = new LinkedBlockingQueue<>();
    private DesktopNotifier notifier;

    /** A notification server that supports actions and records what it was asked to show. */
    final class Server implements FreedesktopNotifier.NotificationsService {
        @Override
        public UInt32 Notify(
                String appName,
                UInt32 replacesId,
                String appIcon,
                String summary,
                String body,
                List<String> actions,
                Map<String, Variant<?>> hints,
                int expireTimeout) {
            shown.add(appName + " | " + summary + " | " + body + " | " + actions + " | urgency "
                    + hints.get("urgency").getValue());
            return new UInt32(7);
        }

        @Override
        public List<String> GetCapabilities() {
            return List.of("body", "actions");
        }

        @Override
        public String getObjectPath() {
            return FreedesktopNotifier.PATH;
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
        address = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8)).readLine();
        server = DBusConnectionBuilder.forAddress(address).withShared(false).build();
    }

    @AfterEach
    void stopBus() throws IOException {
        if (notifier != null) {
            notifier.close();
        }
        server.close();
        daemon.destroy();
    }

    @Test
    void isAbsentWithoutANotificationService() {
        assertThat(FreedesktopNotifier.open(address)).isEmpty();
        assertThat(FreedesktopNotifier.open(null)).isEmpty();
    }

    @Test
    void showsNotificationsAndOffersToEnableANewVm() throws Exception {
        server.requestBusName(FreedesktopNotifier.SERVICE);
        server.exportObject(new Server());
        notifier = FreedesktopNotifier.open(address).orElseThrow();
        CountDownLatch enabled = new CountDownLatch(1);

        notifier.show(
                new HostNotification(HostNotification.Kind.NEW_VM, "mail", "found in /run/xen"), enabled::countDown);
        assertThat(shown.poll(5, TimeUnit.SECONDS))
                .isEqualTo("xenclip | New VM mail | found in /run/xen | [enable, Enable] | urgency 1");
        notifier.show(new HostNotification(HostNotification.Kind.ERROR, "web", "permission denied"), () -> {});
        assertThat(shown.poll(5, TimeUnit.SECONDS))
                .isEqualTo("xenclip | Problem with web | permission denied | [] | urgency 2");

        server.sendMessage(new FreedesktopNotifier.NotificationsService.ActionInvoked(
                FreedesktopNotifier.PATH, new UInt32(7), FreedesktopNotifier.ENABLE_ACTION));
        assertThat(enabled.await(5, TimeUnit.SECONDS))
                .as("the Enable action ran")
                .isTrue();

        notifier.setEnabled(false);
        notifier.show(new HostNotification(HostNotification.Kind.OVERSIZE, "web", "too big"), () -> {});
        notifier.setEnabled(true);
        notifier.show(new HostNotification(HostNotification.Kind.ERROR, "web", "marker"), () -> {});
        assertThat(shown.poll(5, TimeUnit.SECONDS))
                .as("the one shown while switched off never reached the server")
                .isEqualTo("xenclip | Problem with web | marker | [] | urgency 2");
    }
}
