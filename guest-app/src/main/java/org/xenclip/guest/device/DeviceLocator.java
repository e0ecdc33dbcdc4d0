package org.xenclip.guest.device;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the channel device, in this order: the path given with {@code --device}; the udev link
 * {@code /dev/xen-channel/<name>}, waited for with inotify in case udev has not run yet; a scan of the Xen
 * consoles in sysfs whose XenStore {@code name} is ours (protocol.md section 1).
 */
public final class DeviceLocator {

    public static final String CHANNEL_NAME = "org.xenproject.guest.clipboard.0.1";
    /** How long to wait for udev to make the link before scanning the consoles ourselves. */
    public static final Duration DEFAULT_LINK_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(DeviceLocator.class.getName());
    private static final long WATCH_SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Pattern CONSOLE = Pattern.compile("console-(\\d+)");

    private final Path linkDir;
    private final Path sysBusDevices;
    private final Path devDir;
    private final Optional<XenStoreReader> xenstore;
    private final Duration linkWait;

    public DeviceLocator(
            Path linkDir, Path sysBusDevices, Path devDir, Optional<XenStoreReader> xenstore, Duration linkWait) {
        this.linkDir = linkDir;
        this.sysBusDevices = sysBusDevices;
        this.devDir = devDir;
        this.xenstore = xenstore;
        this.linkWait = linkWait;
    }

    /** The real system's locations. */
    public static DeviceLocator system() {
        return new DeviceLocator(
                Path.of("/dev/xen-channel"),
                Path.of("/sys/bus/xen/devices"),
                Path.of("/dev"),
                XenStoreReader.onPath(),
                DEFAULT_LINK_WAIT);
    }

    public Path link() {
        return linkDir.resolve(CHANNEL_NAME);
    }

    public DeviceChoice locate(Optional<Path> explicit) throws DeviceException {
        if (explicit.isPresent()) {
            return new DeviceChoice(explicit.get(), "given with --device");
        }
        Path link = link();
        if (Files.exists(link)) {
            return linkChoice(link, "the udev link exists");
        }
        LOG.info(() -> "waiting up to " + linkWait.toSeconds() + " s for " + link
                + " (made by the udev rule 90-xenclip-channel.rules and xen-console-setup)");
        if (waitFor(link, linkWait)) {
            return linkChoice(link, "the udev link appeared");
        }
        LOG.info(() -> link + " did not appear; scanning the Xen consoles in " + sysBusDevices);
        List<String> seen = new ArrayList<>();
        Optional<DeviceChoice> scanned = scan(seen);
        if (scanned.isPresent()) {
            return scanned.get();
        }
        String tools = xenstore.isPresent()
                ? ""
                : "; xenstore-read is not installed (Debian: xen-utils-common or xenstore-utils), so console names"
                        + " could not be read";
        throw new DeviceException(
                DeviceException.Kind.NO_SUCH_DEVICE,
                "no channel device: " + link + " did not appear within " + linkWait.toSeconds()
                        + " s and no Xen console carries the name " + CHANNEL_NAME + " (consoles seen: "
                        + (seen.isEmpty() ? "none" : String.join(", ", seen)) + ")" + tools
                        + "; is the VM configured with channel name=" + CHANNEL_NAME + "?");
    }

    private DeviceChoice linkChoice(Path link, String why) {
        String target;
        try {
            target = link.toRealPath().toString();
        } catch (IOException e) {
            target = "unresolved: " + e.getMessage();
        }
        return new DeviceChoice(link, why + " (-> " + target + ")");
    }

    /** Scans {@code console-N} devices; only ids 1-9 become {@code /dev/hvcN} in Linux. */
    Optional<DeviceChoice> scan(List<String> seen) {
        if (!Files.isDirectory(sysBusDevices)) {
            seen.add(sysBusDevices + " absent (not a Xen guest?)");
            return Optional.empty();
        }
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sysBusDevices, "console-*")) {
            for (Path entry : entries) {
                Matcher m = CONSOLE.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            seen.add("cannot list " + sysBusDevices + ": " + e.getMessage());
            return Optional.empty();
        }
        ids.sort(null);
        for (int id : ids) {
            Optional<String> name = consoleName(id);
            seen.add("console-" + id + (name.isPresent() ? " '" + name.get() + "'" : " (name unknown)"));
            if (name.isPresent() && name.get().equals(CHANNEL_NAME)) {
                if (id < 1 || id > 9) {
                    LOG.warning(() -> "console-" + id + " carries " + CHANNEL_NAME
                            + " but Linux makes hvc devices only for console ids 1-9");
                    continue;
                }
                Path dev = devDir.resolve("hvc" + id);
                return Optional.of(new DeviceChoice(
                        dev, "XenStore device/console/" + id + "/name is " + CHANNEL_NAME + " (sysfs scan)"));
            }
        }
        return Optional.empty();
    }

    private Optional<String> consoleName(int id) {
        if (xenstore.isEmpty()) {
            return Optional.empty();
        }
        // The frontend's nodename (device/console/N) is relative to the guest's own XenStore home.
        String node = "device/console/" + id;
        Path nodename = sysBusDevices.resolve("console-" + id).resolve("nodename");
        try {
            if (Files.isReadable(nodename)) {
                String fromSysfs = Files.readString(nodename).strip();
                if (!fromSysfs.isEmpty()) {
                    node = fromSysfs;
                }
            }
        } catch (IOException e) {
            // keep the conventional node path
        }
        return xenstore.get().read(node + "/name");
    }

    /** Waits with inotify for {@code file} to appear, watching its directory or, if absent, the parent. */
    static boolean waitFor(Path file, Duration timeout) throws DeviceException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            while (true) {
                if (Files.exists(file)) {
                    return true;
                }
                Path dir = file.getParent();
                while (dir != null && !Files.isDirectory(dir)) {
                    dir = dir.getParent();
                }
                if (dir == null) {
                    return false;
                }
                WatchKey key = dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
                try {
                    if (Files.exists(file)) { // created between the check and the registration
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    // inotify does the waking; the slice is a safety net for an event lost between the
                    // cancel and the re-registration of a directory, so the wait can never hang.
                    WatchKey fired = watcher.poll(Math.min(left, WATCH_SLICE_NANOS), TimeUnit.NANOSECONDS);
                    if (fired != null) {
                        fired.pollEvents();
                    }
                } finally {
                    key.cancel();
                }
            }
        } catch (IOException | ClosedWatchServiceException e) {
            throw new DeviceException(
                    DeviceException.Kind.NO_SUCH_DEVICE, "cannot watch for " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Files.exists(file);
        }
    }
}
