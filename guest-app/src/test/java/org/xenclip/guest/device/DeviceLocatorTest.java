package org.xenclip.guest.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery against a fake sysfs tree and a real {@code xenstore-read} executable (a script) on disk. */
class DeviceLocatorTest {

    @TempDir
    Path root;

    private Path links() {
        return root.resolve("dev/xen-channel");
    }

    private Path sys() {
        return root.resolve("sys/bus/xen/devices");
    }

    private Path dev() {
        return root.resolve("dev");
    }

    /** Writes an executable xenstore-read answering from a table of key=value lines. */
    private XenStoreReader fakeXenstore(String... keyValues) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\ncase \"$1\" in\n");
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            script.append("  '")
                    .append(kv, 0, eq)
                    .append("') echo '")
                    .append(kv.substring(eq + 1))
                    .append("' ;;\n");
        }
        script.append("  *) echo \"couldn't read path $1\" >&2; exit 1 ;;\nesac\n");
        Path tool = Files.createDirectories(root.resolve("bin")).resolve("xenstore-read");
        Files.writeString(tool, script);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new XenStoreReader(tool);
    }

    private void console(int id) throws IOException {
        Path c = Files.createDirectories(sys().resolve("console-" + id));
        Files.writeString(c.resolve("nodename"), "device/console/" + id + "\n");
    }

    private DeviceLocator locator(Optional<XenStoreReader> xs, Duration wait) {
        return new DeviceLocator(links(), sys(), dev(), xs, wait);
    }

    @Test
    void explicitDeviceWins() throws Exception {
        DeviceChoice c = locator(Optional.empty(), Duration.ZERO).locate(Optional.of(Path.of("/dev/hvc3")));
        assertThat(c).isEqualTo(new DeviceChoice(Path.of("/dev/hvc3"), "given with --device"));
    }

    @Test
    void existingLinkIsUsedAndItsTargetNamed() throws Exception {
        Files.createDirectories(links());
        Path target = Files.writeString(dev().resolve("hvc2"), "");
        Files.createSymbolicLink(links().resolve(DeviceLocator.CHANNEL_NAME), target);
        DeviceChoice c = locator(Optional.empty(), Duration.ZERO).locate(Optional.empty());
        assertThat(c.path()).isEqualTo(links().resolve(DeviceLocator.CHANNEL_NAME));
        assertThat(c.reason()).isEqualTo("the udev link exists (-> " + target.toRealPath() + ")");
    }

    @Test
    void waitsForTheLinkToAppearEvenWhenItsDirectoryIsMissing() throws Exception {
        Files.createDirectories(dev());
        Path target = Files.writeString(dev().resolve("hvc1"), "");
        CompletableFuture<DeviceChoice> found = CompletableFuture.supplyAsync(() -> {
            try {
                return locator(Optional.empty(), Duration.ofSeconds(20)).locate(Optional.empty());
            } catch (DeviceException e) {
                throw new IllegalStateException(e);
            }
        });
        // like udev: first the directory, then the link
        Files.createDirectories(links());
        Files.createSymbolicLink(links().resolve(DeviceLocator.CHANNEL_NAME), target);
        DeviceChoice c = found.get(15, TimeUnit.SECONDS);
        assertThat(c.reason()).startsWith("the udev link ");
    }

    @Test
    void scansConsolesByXenStoreName() throws Exception {
        console(1);
        console(2);
        XenStoreReader xs = fakeXenstore(
                "device/console/1/name=org.qemu.guest_agent.0", "device/console/2/name=" + DeviceLocator.CHANNEL_NAME);
        DeviceChoice c = locator(Optional.of(xs), Duration.ZERO).locate(Optional.empty());
        assertThat(c)
                .isEqualTo(new DeviceChoice(
                        dev().resolve("hvc2"),
                        "XenStore device/console/2/name is " + DeviceLocator.CHANNEL_NAME + " (sysfs scan)"));
    }

    @Test
    void ignoresConsoleIdsLinuxHasNoHvcFor() throws Exception {
        console(12);
        XenStoreReader xs = fakeXenstore("device/console/12/name=" + DeviceLocator.CHANNEL_NAME);
        assertThatThrownBy(() -> locator(Optional.of(xs), Duration.ZERO).locate(Optional.empty()))
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("consoles seen: console-12 '" + DeviceLocator.CHANNEL_NAME + "'");
    }

    @Test
    void nothingFoundSaysWhatWasSeenAndWhichToolIsMissing() throws Exception {
        console(1);
        assertThatThrownBy(
                        () -> locator(Optional.empty(), Duration.ofMillis(50)).locate(Optional.empty()))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.kind()).isEqualTo(DeviceException.Kind.NO_SUCH_DEVICE))
                .hasMessage("no channel device: " + links().resolve(DeviceLocator.CHANNEL_NAME)
                        + " did not appear within 0 s and no Xen console carries the name "
                        + DeviceLocator.CHANNEL_NAME + " (consoles seen: console-1 (name unknown)); xenstore-read"
                        + " is not installed (Debian: xen-utils-common or xenstore-utils), so console names could"
                        + " not be read; is the VM configured with channel name=" + DeviceLocator.CHANNEL_NAME + "?");
    }

    @Test
    void notAXenGuest() {
        assertThatThrownBy(() -> locator(Optional.empty(), Duration.ZERO).locate(Optional.empty()))
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("consoles seen: " + sys() + " absent (not a Xen guest?)");
    }
}
