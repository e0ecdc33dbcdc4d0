package org.xenclip.desktop.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import jnr.ffi.Pointer;

/**
 * A real Xvfb X server for tests. It is started with {@code -displayfd} so the server picks a free display
 * number itself and parallel test runs never collide; {@link #start()} returns once the server accepts
 * connections on its Unix socket.
 *
 * <p>AWT opens the display named by the process's native {@code DISPLAY} once per JVM, so in-process AWT code
 * must use {@link #shared()}, which starts one server per JVM and points the native {@code DISPLAY} at it.
 * Child processes (xclip, an app under test) can use any server through {@link #configure(ProcessBuilder)}.
 */
public final class XvfbServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static XvfbServer shared;

    private final Process process;
    private final int displayNumber;
    private final Path log;

    private XvfbServer(Process process, int displayNumber, Path log) {
        this.process = process;
        this.displayNumber = displayNumber;
        this.log = log;
    }

    /** Starts a private server; close it when done. */
    public static XvfbServer start() {
        return start(List.of("-noreset"));
    }

    /**
     * Starts a private server with extra arguments, e.g. {@code "-extension", "XFIXES"} to disable an
     * extension, or {@code "-screen", "0", "1280x800x24"} to replace the default 640x480x24 screen.
     */
    public static XvfbServer start(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("-noreset"));
        args.addAll(List.of(extraArgs));
        return start(args);
    }

    private static XvfbServer start(List<String> extraArgs) {
        Path xvfb = Tools.require("Xvfb", "xvfb");
        Path log;
        try {
            log = Files.createTempFile("xvfb-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(
                List.of(xvfb.toString(), "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "640x480x24"));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + xvfb + ": " + e.getMessage(), e);
        }
        // Xvfb writes the display number to the -displayfd descriptor once it is ready for clients.
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String number;
        try {
            number = line.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "Xvfb did not report a display within " + START_TIMEOUT + "; its log: " + tail(log), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Xvfb", e);
        }
        if (number == null || !number.trim().matches("\\d+")) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "Xvfb exited before reporting a display (exit " + exitCode(process) + "); its log: " + tail(log));
        }
        XvfbServer server = new XvfbServer(process, Integer.parseInt(number.trim()), log);
        if (!extraArgs.contains("-terminate")) {
            // a bare connection counts as a client: with -terminate its end would stop the server
            server.awaitSocket();
        }
        return server;
    }

    /**
     * The one server of this JVM, started on first use and stopped at JVM exit, with the process's native
     * {@code DISPLAY} set to it so that AWT (initialised afterwards) uses it. Call it before anything touches
     * AWT. Its screen is 1280x800x24. Do not close it: it ends by itself when this JVM exits.
     * {@link System#getenv()} keeps its start-up copy: pass {@link #environment()} where code takes an
     * environment.
     */
    public static synchronized XvfbServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            // Killing the server under a live AWT would make Xlib exit the JVM with an I/O error. Instead the
            // server ends itself (-terminate) once its last client is gone, which is when this JVM exits: a
            // keeper connection held for the JVM's life stops it ending sooner.
            XvfbServer server = start(List.of("-terminate", "-screen", "0", "1280x800x24"));
            if (NativeX.xlib().XOpenDisplay(server.display()) == null) {
                server.close();
                throw new IllegalStateException("cannot open the shared X display " + server.display());
            }
            int rc = NativeX.libc().setenv("DISPLAY", server.display(), 1);
            if (rc != 0) {
                server.close();
                throw new IllegalStateException("setenv(DISPLAY) failed with " + rc);
            }
            shared = server;
        }
        return shared;
    }

    /** The display string for {@code DISPLAY}, e.g. {@code ":3"}. */
    public String display() {
        return ":" + displayNumber;
    }

    /**
     * An environment for code under test that picks its backend from the environment: this display, no
     * Wayland.
     */
    public Map<String, String> environment() {
        return Map.of("DISPLAY", display());
    }

    /** Points a child process at this server: sets {@code DISPLAY}, removes {@code WAYLAND_DISPLAY}. */
    public ProcessBuilder configure(ProcessBuilder builder) {
        builder.environment().put("DISPLAY", display());
        builder.environment().remove("WAYLAND_DISPLAY");
        return builder;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a stale log in /tmp is harmless
        }
    }

    @Override
    public String toString() {
        return "Xvfb " + display();
    }

    /**
     * Returns once an X client can open the display. A bare socket connection is not enough: a loaded machine
     * showed XOpenDisplay failing on a server whose socket already accepted ("cannot open X display"), so
     * readiness is what a client sees. Each attempt is a full client that connects and goes (the server runs
     * with -noreset, so that costs nothing).
     */
    private void awaitSocket() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Pointer dpy = NativeX.xlib().XOpenDisplay(display());
            if (dpy != null) {
                NativeX.xlib().XCloseDisplay(dpy);
                return;
            }
            if (!process.isAlive()) {
                break;
            }
            LockSupport.parkNanos(10_000_000L);
        }
        close();
        throw new IllegalStateException(
                "Xvfb " + display() + " does not accept X clients within " + START_TIMEOUT + "; log: " + tail(log));
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
