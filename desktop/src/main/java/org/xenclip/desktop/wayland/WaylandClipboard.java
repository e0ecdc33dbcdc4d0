package org.xenclip.desktop.wayland;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.ClipboardListener;
import org.xenclip.desktop.Selection;

/**
 * The Wayland clipboard through wl-clipboard: {@code wl-paste --watch} reports changes (one line per change,
 * read on a {@code clipboard-events} thread), {@code wl-paste} reads and {@code wl-copy} writes. Change events
 * need the compositor's data-control protocol, which {@link WaylandGlobals} checks before this is chosen.
 *
 * <p>Each read or write is a short-lived child process bounded by the caller's timeout and killed past it,
 * so a source that never answers cannot block the caller.
 */
public final class WaylandClipboard implements ClipboardBackend {

    private static final Logger LOG = Logger.getLogger(WaylandClipboard.class.getName());

    /** Text types in the order we ask for them; the first the source offers wins. */
    private static final List<String> TEXT_TYPES =
            List.of("text/plain;charset=utf-8", "UTF8_STRING", "text/plain", "STRING", "TEXT");

    static final String PASSWORD_MANAGER_HINT = "x-kde-passwordManagerHint";

    /** The hint holds "secret"; anything longer is not a hint. */
    private static final int MAX_HINT_BYTES = 64;

    /** The compositor's data-control globals, wlroots' and the later standard one. */
    public static final List<String> DATA_CONTROL =
            List.of("zwlr_data_control_manager_v1", "ext_data_control_manager_v1");

    private final Map<String, String> environment;
    private final Selection selection;
    private final Path wlPaste;
    private final Path wlCopy;
    private final List<ClipboardListener> listeners = new CopyOnWriteArrayList<>();
    private Process watcher;
    private Thread watcherThread;
    private volatile boolean closed;

    private WaylandClipboard(Map<String, String> environment, Selection selection, Path wlPaste, Path wlCopy) {
        this.environment = Map.copyOf(environment);
        this.selection = selection;
        this.wlPaste = wlPaste;
        this.wlCopy = wlCopy;
    }

    /**
     * Opens the selection of the compositor named by {@code WAYLAND_DISPLAY} and {@code XDG_RUNTIME_DIR} in
     * {@code environment}, with the given wl-clipboard programs. The caller has checked data-control.
     */
    public static WaylandClipboard open(
            Map<String, String> environment, Selection selection, Path wlPaste, Path wlCopy) {
        Objects.requireNonNull(selection, "selection");
        return new WaylandClipboard(environment, selection, wlPaste, wlCopy);
    }

    @Override
    public String name() {
        return "wayland-wl-clipboard";
    }

    public Selection selection() {
        return selection;
    }

    @Override
    public Optional<ClipboardContent> read(Duration timeout) throws ClipboardException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result types = run(paste("--list-types"), null, remaining(deadline, timeout), "list " + selection + " types");
        if (types.exitCode != 0) {
            return Optional.empty(); // nothing offered ("No selection") or only a cleared selection
        }
        List<String> offered = Arrays.asList(new String(types.out, StandardCharsets.UTF_8).split("\n", -1));
        Optional<String> type = TEXT_TYPES.stream().filter(offered::contains).findFirst();
        if (type.isEmpty()) {
            return Optional.empty();
        }
        boolean secret = false;
        if (offered.contains(PASSWORD_MANAGER_HINT)) {
            Result hint = run(
                    paste("--no-newline", "--type", PASSWORD_MANAGER_HINT),
                    null,
                    remaining(deadline, timeout),
                    "read " + selection + " hint");
            secret = hint.exitCode == 0
                    && hint.out.length <= MAX_HINT_BYTES
                    && new String(hint.out, StandardCharsets.UTF_8).trim().equals("secret");
        }
        Result text = run(
                paste("--no-newline", "--type", type.get()), null, remaining(deadline, timeout), "read " + selection);
        if (text.exitCode != 0) {
            return Optional.empty(); // the source went away between the two calls
        }
        return Optional.of(new ClipboardContent(new String(text.out, StandardCharsets.UTF_8), secret));
    }

    @Override
    public void write(String text, Duration timeout) throws ClipboardException {
        Objects.requireNonNull(text, "text");
        // wl-copy forks once the compositor holds the offer; its parent's exit is our "done"
        List<String> command = selection == Selection.PRIMARY
                ? List.of(wlCopy.toString(), "--primary", "--type", "text/plain;charset=utf-8")
                : List.of(wlCopy.toString(), "--type", "text/plain;charset=utf-8");
        int exitCode = copy(command, text.getBytes(StandardCharsets.UTF_8), timeout);
        if (exitCode != 0) {
            throw new ClipboardException("write " + selection + ": wl-copy exited with " + exitCode);
        }
    }

    /** Runs wl-copy; its output goes nowhere since the forked server keeps any pipe open for its lifetime. */
    private int copy(List<String> command, byte[] input, Duration timeout) throws ClipboardException {
        String what = "write " + selection;
        Process process;
        try {
            process = builder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new ClipboardException(what + ": cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // it exited early; the exit code tells why
            }
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                throw new ClipboardException(what + " timed out after " + timeout.toMillis() + " ms");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ClipboardException(what + " interrupted", e);
        }
    }

    @Override
    public synchronized void watch(ClipboardListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("clipboard closed");
        }
        listeners.add(listener);
        if (watcher != null) {
            return;
        }
        // The command drains what wl-paste hands it (so the source sees a clean transfer) and prints one
        // line per change; wl-paste runs it on every selection change.
        List<String> command = paste("--watch", "sh", "-c", "cat >/dev/null; echo \"${CLIPBOARD_STATE:-data}\"");
        try {
            watcher = builder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            watcher.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start wl-paste --watch: " + e.getMessage(), e);
        }
        Process process = watcher;
        watcherThread = new Thread(() -> pump(process), "clipboard-events");
        watcherThread.setDaemon(true);
        watcherThread.start();
    }

    private void pump(Process process) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            while (lines.readLine() != null) {
                for (ClipboardListener listener : listeners) {
                    try {
                        listener.selectionChanged();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "clipboard listener failed", e);
                    }
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.warning("wl-paste --watch output failed: " + e.getMessage());
            }
        }
        if (!closed) {
            LOG.warning("wl-paste --watch ended (exit " + exitCode(process) + "); changes to " + selection
                    + " are no longer seen");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watcher != null) {
            watcher.descendants().forEach(ProcessHandle::destroy);
            watcher.destroy();
            try {
                if (!watcher.waitFor(5, TimeUnit.SECONDS)) {
                    watcher.destroyForcibly();
                }
                watcherThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name() + " " + selection + " on " + environment.get("WAYLAND_DISPLAY");
    }

    private List<String> paste(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(wlPaste.toString());
        if (selection == Selection.PRIMARY) {
            command.add("--primary");
        }
        command.addAll(Arrays.asList(args));
        return command;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    private static Duration remaining(long deadline, Duration timeout) throws ClipboardException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new ClipboardException("read timed out after " + timeout.toMillis() + " ms");
        }
        return Duration.ofNanos(left);
    }

    private static final class Result {
        final int exitCode;
        final byte[] out;

        Result(int exitCode, byte[] out) {
            this.exitCode = exitCode;
            this.out = out;
        }
    }

    private Result run(List<String> command, byte[] input, Duration timeout, String what) throws ClipboardException {
        Process process;
        try {
            process = builder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new ClipboardException(what + ": cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input);
                }
            } catch (IOException e) {
                // the program exited without reading all of it; its exit code tells why
            }
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ClipboardException(what + " timed out after " + timeout.toMillis() + " ms");
            }
            long left = Math.max(1, timeout.toMillis());
            return new Result(process.exitValue(), out.get(left, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new ClipboardException(what + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new ClipboardException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClipboardException(what + " interrupted", e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread thread = new Thread(
                () -> {
                    try (stream) {
                        result.complete(stream.readAllBytes());
                    } catch (IOException e) {
                        result.completeExceptionally(e);
                    }
                },
                "clipboard-io");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
