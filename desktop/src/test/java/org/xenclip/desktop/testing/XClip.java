package org.xenclip.desktop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import jnr.ffi.Pointer;
import org.xenclip.desktop.Selection;

/**
 * The user at the keyboard: sets and reads CLIPBOARD and PRIMARY through real {@code xclip} and {@code xsel}
 * processes on one X display.
 *
 * <p>A setter process keeps running to serve the selection (X selections live in their owner); this class runs
 * them in the foreground ({@code xclip -quiet}, {@code xsel --nodetach}) so it can track them, and
 * {@link #close()} kills every one still alive. A set returns only once the selection's owner has changed and
 * a read returns the new text, so a test can act on it at once.
 */
public final class XClip implements AutoCloseable {

    /** A bound for hangs, long enough for a 1 MiB INCR transfer on a heavily loaded machine. */
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String display;
    private final Path xclip;
    private final List<Process> owners = new ArrayList<>();

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
                checkAlive(process, deadline, "xclip -t " + target);
            }
        }
    }

    /** The selection's text as xclip reads it (UTF8_STRING), or empty when nobody owns it or it has no text. */
    public Optional<String> get(Selection selection) {
        return read(List.of(xclip.toString(), "-o", "-selection", selection.xName(), "-t", "UTF8_STRING"));
    }

    /** The selection's text as xsel reads it, or empty when nobody owns it. */
    public Optional<String> getWithXsel(Selection selection) {
        Path xsel = Tools.require("xsel", "xsel");
        Optional<String> text = read(List.of(xsel.toString(), "--" + selection.xName(), "--output"));
        // xsel exits 0 with no output when the selection is empty
        return text.filter(t -> !t.isEmpty());
    }

    /** The target names the owner offers, empty when nobody owns the selection. */
    public List<String> targets(Selection selection) {
        return read(List.of(xclip.toString(), "-o", "-selection", selection.xName(), "-t", "TARGETS"))
                .map(t -> Arrays.asList(t.split("\n", -1)))
                .orElse(List.of());
    }

    /** Drops the selection's current owner's claim (xsel --clear); returns once nobody owns it. */
    public void clear(Selection selection) {
        Path xsel = Tools.require("xsel", "xsel");
        run(List.of(xsel.toString(), "--" + selection.xName(), "--clear"));
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
            checkAlive(process, deadline, "set " + selection);
        }
    }

    private static void checkAlive(Process process, long deadline, String what) {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    what + ": the setter exited with " + process.exitValue() + " before owning the selection");
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

    private Optional<String> read(List<String> command) {
        Result result = run(command);
        return result.exitCode == 0 ? Optional.of(new String(result.out, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private static final class Result {
        final int exitCode;
        final byte[] out;

        Result(int exitCode, byte[] out) {
            this.exitCode = exitCode;
            this.out = out;
        }
    }

    private Result run(List<String> command) {
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
            byte[] bytes = out.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(command.get(0) + " did not exit within " + TIMEOUT);
            }
            return new Result(process.exitValue(), bytes);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    String.join(" ", command) + " got no answer within " + TIMEOUT
                            + " (a selection owner that never answers?)",
                    e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            process.destroyForcibly();
        }
    }
}
