package org.xenclip.desktop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.byref.PointerByReference;
import org.xenclip.desktop.Selection;

/**
 * The user at the keyboard: sets and reads CLIPBOARD and PRIMARY through real {@code xclip} and {@code xsel}
 * processes on one X display.
 *
 * <p>A setter process keeps running to serve the selection (X selections live in their owner); this class runs
 * them in the foreground ({@code xclip -quiet}, {@code xsel --nodetach}) so it can track them, and
 * {@link #close()} kills every one still alive. A set returns only once the selection's owner has changed and
 * a read returns the new text, so a test can act on it at once.
 *
 * <p><b>Readers stranded by a dying owner.</b> xsel and xclip as owners exit as soon as they lose the selection,
 * even in the middle of an INCR transfer (a text over about 256 KiB goes in chunks, each sent when the reader has
 * taken the previous one). A reader then waits forever for the next chunk; neither xclip nor xsel has a timeout
 * by default. That happens whenever an app takes the selection over from a large copy while someone pastes it.
 * So every read watches the selection's owners while it runs: when a window that owned the selection during the
 * read no longer exists and the reader has received no byte for {@link #STRANDED_AFTER}, the reader is killed
 * and the read starts again, as a user would paste again. Only a reader whose server is gone is killed: killing
 * one in the middle of an INCR transfer from a live AWT owner would leave AWT's chunk sender registered for that
 * window id, and a later reader that gets the same id (the server reuses them) would receive a mix of both.
 */
public final class XClip implements AutoCloseable {

    /** A bound for hangs, long enough for a 1 MiB INCR transfer on a heavily loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /**
     * How long a reader must have received nothing, once a window that served the selection is gone, before it
     * counts as stranded. Its owner's death is the real condition; this only keeps a reader that is still being
     * served by the new owner on a loaded machine from being killed.
     */
    static final Duration STRANDED_AFTER = Duration.ofSeconds(2);

    /** How often a running read checks the owner and the reader's progress. */
    private static final long WATCH_NANOS = 20_000_000L;

    private final String display;
    private final Path xclip;
    private final List<Process> owners = new ArrayList<>();
    private final AtomicLong strandedReads = new AtomicLong();
    private final Object reading = new Object();

    public XClip(XvfbServer server) {
        this(server.display());
    }

    public XClip(String display) {
        this.display = display;
        this.xclip = Tools.require("xclip", "xclip");
    }

    /** Copies {@code text} into the selection with xclip, as the user would; returns once it is owned. */
    public void set(Selection selection, String text) {
        setTarget(selection, "UTF8_STRING", text.getBytes(StandardCharsets.UTF_8), text);
    }

    /**
     * Starts copying {@code text} with xclip and returns at once, without checking ownership: for latency
     * measurements that must not load the server with read-backs. The process is killed on close.
     */
    public void setNoWait(Selection selection, String text) {
        Process process =
                start(List.of(xclip.toString(), "-quiet", "-selection", selection.xName(), "-t", "UTF8_STRING", "-i"));
        feed(process, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Copies {@code text} into the selection with xsel; returns once it is owned. */
    public void setWithXsel(Selection selection, String text) {
        Path xsel = Tools.require("xsel", "xsel");
        long before = owner(selection);
        Process process = start(List.of(xsel.toString(), "--" + selection.xName(), "--input", "--nodetach"));
        feed(process, text.getBytes(StandardCharsets.UTF_8));
        awaitOwned(selection, before, text, process);
    }

    /**
     * Offers {@code data} under one target name only (e.g. {@code text/html}); xclip also answers TARGETS.
     * Returns once the owner changed and TARGETS lists {@code target}.
     */
    public void setTarget(Selection selection, String target, byte[] data) {
        setTarget(selection, target, data, null);
    }

    private void setTarget(Selection selection, String target, byte[] data, String expectText) {
        long before = owner(selection);
        Process process =
                start(List.of(xclip.toString(), "-quiet", "-selection", selection.xName(), "-t", target, "-i"));
        feed(process, data);
        if (expectText != null) {
            awaitOwned(selection, before, expectText, process);
        } else {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (owner(selection) == before || !targets(selection).contains(target)) {
                checkAlive(selection, before, process, deadline, "xclip -t " + target);
            }
        }
    }

    /** The selection's text as xclip reads it (UTF8_STRING), or empty when nobody owns it or it has no text. */
    public Optional<String> get(Selection selection) {
        return read(selection, List.of(xclip.toString(), "-o", "-selection", selection.xName(), "-t", "UTF8_STRING"));
    }

    /** The selection's text as xsel reads it, or empty when nobody owns it. */
    public Optional<String> getWithXsel(Selection selection) {
        Path xsel = Tools.require("xsel", "xsel");
        Optional<String> text = read(selection, List.of(xsel.toString(), "--" + selection.xName(), "--output"));
        // xsel exits 0 with no output when the selection is empty
        return text.filter(t -> !t.isEmpty());
    }

    /** The target names the owner offers, empty when nobody owns the selection. */
    public List<String> targets(Selection selection) {
        return read(selection, List.of(xclip.toString(), "-o", "-selection", selection.xName(), "-t", "TARGETS"))
                .map(t -> Arrays.asList(t.split("\n", -1)))
                .orElse(List.of());
    }

    /** Drops the selection's current owner's claim (xsel --clear); returns once nobody owns it. */
    public void clear(Selection selection) {
        Path xsel = Tools.require("xsel", "xsel");
        run(
                selection,
                List.of(xsel.toString(), "--" + selection.xName(), "--clear"),
                System.nanoTime() + TIMEOUT.toNanos());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (owner(selection) != 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(selection + " still owned after xsel --clear");
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /** The window that owns the selection now, 0 when none: lets a test see that ownership moved. */
    public long owner(Selection selection) {
        // a connection per question: one held open would take this JVM down (Xlib exits on I/O errors) if the
        // server were stopped before this object is closed
        NativeX.Xlib xlib = NativeX.xlib();
        Pointer probe = xlib.XOpenDisplay(display);
        if (probe == null) {
            throw new IllegalStateException("cannot open X display " + display);
        }
        try {
            return xlib.XGetSelectionOwner(probe, xlib.XInternAtom(probe, selection.name(), false));
        } finally {
            xlib.XCloseDisplay(probe);
        }
    }

    /**
     * A connection of its own that answers {@link OwnerProbe#owner} with one round trip: for a benchmark that
     * polls the owner often, where {@link #owner} (a connection per question) would cost more than what it
     * measures. Close it before the X server stops: Xlib exits the process on a lost connection.
     */
    public OwnerProbe ownerProbe(Selection selection) {
        return new OwnerProbe(display, selection);
    }

    /** See {@link #ownerProbe}. One thread at a time. */
    public static final class OwnerProbe implements AutoCloseable {
        private final Pointer connection;
        private final long atom;

        private OwnerProbe(String display, Selection selection) {
            NativeX.Xlib xlib = NativeX.xlib();
            connection = xlib.XOpenDisplay(display);
            if (connection == null) {
                throw new IllegalStateException("cannot open X display " + display);
            }
            atom = xlib.XInternAtom(connection, selection.name(), false);
        }

        /** The window that owns the selection now, 0 when none. */
        public long owner() {
            return NativeX.xlib().XGetSelectionOwner(connection, atom);
        }

        @Override
        public void close() {
            NativeX.xlib().XCloseDisplay(connection);
        }
    }

    /**
     * How many reads were started again because the owner serving them died mid-transfer (see the class
     * comment): for tests of this kit and for diagnostics.
     */
    public long strandedReads() {
        return strandedReads.get();
    }

    /** Whether {@code window} is still a top-level window (every selection owner's window here is one). */
    boolean exists(long window) {
        return Arrays.stream(topLevelWindows()).anyMatch(w -> w == window);
    }

    /** The root window's children now: asking about them never raises an X error, unlike a window that is gone. */
    long[] topLevelWindows() {
        NativeX.Xlib xlib = NativeX.xlib();
        Pointer probe = xlib.XOpenDisplay(display);
        if (probe == null) {
            throw new IllegalStateException("cannot open X display " + display);
        }
        try {
            NativeLongByReference root = new NativeLongByReference();
            NativeLongByReference parent = new NativeLongByReference();
            PointerByReference children = new PointerByReference();
            IntByReference count = new IntByReference();
            if (xlib.XQueryTree(probe, xlib.XDefaultRootWindow(probe), root, parent, children, count) == 0) {
                throw new IllegalStateException("XQueryTree of the root window failed on " + display);
            }
            Pointer list = children.getValue();
            if (list == null) {
                return new long[0];
            }
            try {
                long[] windows = new long[count.getValue()];
                list.get(0, windows, 0, windows.length);
                return windows;
            } finally {
                xlib.XFree(list);
            }
        } finally {
            xlib.XCloseDisplay(probe);
        }
    }

    /**
     * Stops (SIGSTOP) every setter still serving a selection: its owner then never answers a request, as a
     * hung application's would. {@link #close()} still kills them.
     */
    public synchronized void freeze() {
        for (Process process : owners) {
            if (process.isAlive()) {
                signal("STOP", process.pid());
            }
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** How many setter processes are still serving a selection (a lost selection makes them exit). */
    public synchronized long liveOwners() {
        return owners.stream().filter(Process::isAlive).count();
    }

    @Override
    public synchronized void close() {
        for (Process process : owners) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : owners) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitOwned(Selection selection, long before, String text, Process process) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (owner(selection) == before
                || !get(selection).filter(text::equals).isPresent()) {
            if (!process.isAlive()
                    && process.exitValue() == 0
                    && get(selection).filter(text::equals).isPresent()) {
                // the setter exits 0 only once it has lost the selection, so it owned it; the new owner serves our
                // text: a clipboard manager took it over, maybe with the window that owned it before
                return;
            }
            checkAlive(selection, before, process, deadline, "set " + selection);
        }
    }

    private void checkAlive(Selection selection, long before, Process process, long deadline, String what) {
        if (!process.isAlive()) {
            long now = owner(selection);
            // xclip -quiet and xsel --nodetach exit 0 when they lose the selection: if the owner moved, the setter
            // did own it and another client took it before the read-back (an app writing a synced text, say)
            throw new IllegalStateException(what + ": the setter exited with " + process.exitValue()
                    + (process.exitValue() == 0 && now != before
                            ? " after another client took the selection from it (owner was 0x"
                                    + Long.toHexString(before) + ", is 0x" + Long.toHexString(now)
                                    + "): something wrote the selection during the copy"
                            : " before owning the selection (owner still 0x" + Long.toHexString(now) + ")"));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + ": selection not owned within " + TIMEOUT);
        }
        LockSupport.parkNanos(10_000_000L);
    }

    private synchronized Process start(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        try {
            Process process = builder.start();
            owners.removeIf(p -> !p.isAlive());
            owners.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void feed(Process process, byte[] data) {
        try (OutputStream in = process.getOutputStream()) {
            in.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "writing to " + process.info().command().orElse("setter"), e);
        }
    }

    private Optional<String> read(Selection selection, List<String> command) {
        // one paste at a time per user: xsel as the owner of a large text tells its INCR transfers apart by
        // property name only, so two xsel readers at once (a test's watch and its own read) get each other's
        // chunks: one ends with a 4000-byte piece, the other waits forever
        synchronized (reading) {
            return readAlone(selection, command);
        }
    }

    private Optional<String> readAlone(Selection selection, List<String> command) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Result result = run(selection, command, deadline);
            if (result != null) {
                return result.exitCode == 0
                        ? Optional.of(new String(result.out, StandardCharsets.UTF_8))
                        : Optional.empty();
            }
            strandedReads.incrementAndGet(); // its server died mid-transfer: paste again
        }
    }

    private static final class Result {
        final int exitCode;
        final byte[] out;

        Result(int exitCode, byte[] out) {
            this.exitCode = exitCode;
            this.out = out;
        }
    }

    /**
     * Runs a reader until it exits and returns what it printed, or null when it was stranded (a window that owned
     * the selection during the read is gone and the reader has received nothing for {@link #STRANDED_AFTER}) and
     * was killed. Throws at {@code deadline}.
     */
    private Result run(Selection selection, List<String> command, long deadline) {
        // the owners seen while the reader runs: one of them serves it; sampled before it can ask
        Set<Long> served = new HashSet<>();
        Set<Long> gone = new HashSet<>();
        served.add(owner(selection));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try (InputStream stream = process.getInputStream()) {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            long received = bytesReceived(process);
            long lastProgress = System.nanoTime();
            while (true) {
                try {
                    byte[] bytes = out.get(WATCH_NANOS, TimeUnit.NANOSECONDS);
                    if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        throw new IllegalStateException(command.get(0) + " did not exit within " + TIMEOUT);
                    }
                    return new Result(process.exitValue(), bytes);
                } catch (TimeoutException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException(
                                String.join(" ", command) + " got no answer within " + TIMEOUT
                                        + " (a selection owner that never answers?); owners seen " + served + ", gone "
                                        + gone,
                                e);
                    }
                }
                long now = bytesReceived(process);
                if (now != received) {
                    received = now;
                    lastProgress = System.nanoTime();
                }
                long owner = owner(selection);
                served.add(owner);
                // a window that lost the selection is checked at once and remembered once gone: the server reuses
                // the ids of a dead client's windows, and a restarted app (a kill -9 of the agent and its start
                // again) can have a window with the very id of the dead owner seconds later
                if (served.stream().anyMatch(w -> w != 0 && w != owner && !gone.contains(w))) {
                    long[] alive = topLevelWindows();
                    for (long w : served) {
                        if (w != 0 && w != owner && Arrays.stream(alive).noneMatch(a -> a == w)) {
                            gone.add(w);
                        }
                    }
                }
                if (System.nanoTime() - lastProgress >= STRANDED_AFTER.toNanos() && !gone.isEmpty()) {
                    return null;
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * Bytes the process has read so far (its X connection's replies and events, Linux {@code /proc/PID/io}):
     * an INCR reader's count grows with every chunk it is sent. -1 once it has exited.
     */
    private static long bytesReceived(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "io"))) {
                if (line.startsWith("rchar:")) {
                    return Long.parseLong(line.substring("rchar:".length()).trim());
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1; // exited meanwhile
        }
    }
}
