package org.xenclip.desktop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.xenclip.desktop.wayland.WaylandGlobals;

/**
 * A real Wayland compositor for tests, each in its own {@code XDG_RUNTIME_DIR} so parallel runs never share a
 * socket. Two kinds: {@link #sway()} headless, which offers wlroots data-control (so {@code wl-paste --watch}
 * works), and {@link #westonOn(XvfbServer)}, weston nested in Xvfb, which offers no data-control (weston 10).
 * Both return once the compositor answers a registry round trip.
 */
public final class WaylandCompositor implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path runtimeDir;
    private final String socketName;
    private final Map<String, Integer> globals;
    private final Path log;

    private WaylandCompositor(
            Process process, Path runtimeDir, String socketName, Map<String, Integer> globals, Path log) {
        this.process = process;
        this.runtimeDir = runtimeDir;
        this.socketName = socketName;
        this.globals = globals;
        this.log = log;
    }

    /**
     * Sway with the headless wlroots backend. Sway refuses to run as root, so under root it runs as
     * {@code nobody} (through setpriv); root's clients still reach its socket.
     */
    public static WaylandCompositor sway() {
        Path sway = Tools.require("sway", "sway");
        Path dir = runtimeDir();
        try {
            Files.writeString(dir.resolve("sway.conf"), "xwayland disable\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            Path setpriv = Tools.require("setpriv", "util-linux");
            chown(dir);
            command.addAll(List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(sway.toString(), "-c", dir.resolve("sway.conf").toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().put("XDG_RUNTIME_DIR", dir.toString());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("WLR_BACKENDS", "headless");
        builder.environment().put("WLR_LIBINPUT_NO_DEVICES", "1");
        builder.environment().put("WLR_RENDERER", "pixman");
        return start(builder, dir, null);
    }

    /** Weston 10 nested in an Xvfb window (the x11 backend gives it a seat); no data-control. */
    public static WaylandCompositor westonOn(XvfbServer xvfb) {
        Path weston = Tools.require("weston", "weston");
        Path dir = runtimeDir();
        ProcessBuilder builder = new ProcessBuilder(
                weston.toString(),
                "--backend=x11-backend.so",
                "--use-pixman",
                "--no-config",
                "--idle-time=0",
                "--socket=wayland-0");
        xvfb.configure(builder);
        builder.environment().put("XDG_RUNTIME_DIR", dir.toString());
        return start(builder, dir, "wayland-0");
    }

    private static WaylandCompositor start(ProcessBuilder builder, Path dir, String socketName) {
        Path log = dir.resolve("compositor.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + builder.command().get(0) + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String lastProblem = "no socket yet";
        while (System.nanoTime() < deadline && process.isAlive()) {
            Optional<String> name = socketName != null ? Optional.of(socketName) : findSocket(dir);
            if (name.isPresent() && Files.exists(dir.resolve(name.get()))) {
                try {
                    Map<String, Integer> globals = WaylandGlobals.list(dir.resolve(name.get()), Duration.ofSeconds(5));
                    return new WaylandCompositor(process, dir, name.get(), globals, log);
                } catch (IOException e) {
                    lastProblem = e.getMessage();
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        process.destroyForcibly();
        throw new IllegalStateException(builder.command().get(0) + " did not come up within " + START_TIMEOUT + " ("
                + lastProblem + ", alive " + process.isAlive() + "); its log: " + read(log));
    }

    /** {@code WAYLAND_DISPLAY} and {@code XDG_RUNTIME_DIR} for clients of this compositor. */
    public Map<String, String> environment() {
        return Map.of("WAYLAND_DISPLAY", socketName, "XDG_RUNTIME_DIR", runtimeDir.toString());
    }

    /** Points a child process at this compositor. */
    public ProcessBuilder configure(ProcessBuilder builder) {
        builder.environment().putAll(environment());
        return builder;
    }

    /** The globals the compositor advertised at start. */
    public Map<String, Integer> globals() {
        return globals;
    }

    public Path socket() {
        return runtimeDir.resolve(socketName);
    }

    public String log() {
        return read(log);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(runtimeDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a stale temporary directory is harmless
        }
    }

    private static Optional<String> findSocket(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("wayland-\\d+"))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path runtimeDir() {
        try {
            return Files.createTempDirectory(
                    "xenclip-wl-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chown(Path dir) {
        try {
            Files.setAttribute(dir, "unix:uid", 65534);
            Files.setAttribute(dir, "unix:gid", 65534);
            Files.setAttribute(dir.resolve("sway.conf"), "unix:uid", 65534);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
