package org.xenclip.desktop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xenclip.desktop.Selection;

/**
 * The user on a Wayland desktop: copies with {@code wl-copy --foreground} (tracked, killed on close) and pastes
 * with {@code wl-paste}. A set returns once {@code wl-paste} reads the new text.
 */
public final class WlClip implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final WaylandCompositor compositor;
    private final Path wlCopy;
    private final Path wlPaste;
    private final List<Process> sources = new ArrayList<>();

    public WlClip(WaylandCompositor compositor) {
        this.compositor = compositor;
        this.wlCopy = Tools.require("wl-copy", "wl-clipboard");
        this.wlPaste = Tools.require("wl-paste", "wl-clipboard");
    }

    /** Copies {@code text}; returns once {@code wl-paste} reads it back. */
    public void set(Selection selection, String text) {
        Process process = setNoWait(selection, text);
        Await.until("wl-copy to own " + selection, TIMEOUT, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("wl-copy exited with " + process.exitValue());
            }
            return get(selection).filter(text::equals).isPresent();
        });
    }

    /**
     * Starts copying {@code text} and returns at once, without checking the result: for latency measurements
     * that must not load the compositor with read-backs. The wl-copy process is killed on close.
     */
    public Process setNoWait(Selection selection, String text) {
        // an explicit type: without one wl-copy guesses it with xdg-mime, which takes hundreds of milliseconds
        List<String> command =
                new ArrayList<>(List.of(wlCopy.toString(), "--foreground", "--type", "text/plain;charset=utf-8"));
        if (selection == Selection.PRIMARY) {
            command.add("--primary");
        }
        ProcessBuilder builder = compositor
                .configure(new ProcessBuilder(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process;
        try {
            process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (this) {
            sources.removeIf(p -> !p.isAlive());
            sources.add(process);
        }
        return process;
    }

    /** The selection's text through {@code wl-paste --no-newline}, empty when there is none. */
    public Optional<String> get(Selection selection) {
        List<String> command = new ArrayList<>(List.of(wlPaste.toString(), "--no-newline"));
        if (selection == Selection.PRIMARY) {
            command.add("--primary");
        }
        ProcessBuilder builder =
                compositor.configure(new ProcessBuilder(command)).redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try (InputStream stream = process.getInputStream()) {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("wl-paste did not exit within " + TIMEOUT);
            }
            byte[] bytes = out.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return process.exitValue() == 0 ? Optional.of(new String(bytes, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("wl-paste output", e);
        }
    }

    @Override
    public synchronized void close() {
        for (Process process : sources) {
            process.destroyForcibly();
        }
        for (Process process : sources) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
