package org.xenclip.desktop.x11;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.ClipboardListener;
import org.xenclip.desktop.Selection;

/**
 * The X11 clipboard: one selection (CLIPBOARD or PRIMARY) on one display, owned, read and watched through Xlib by
 * a {@link SelectionLoop}, with change events from XFixes; where the server lacks XFixes, a {@link PollingWatcher}
 * with adaptive back-off reads instead. Any display can be opened, whatever the process's {@code DISPLAY}, and
 * several at once.
 */
public final class X11Clipboard implements ClipboardBackend {

    private static final Logger LOG = Logger.getLogger(X11Clipboard.class.getName());

    /** The target a password manager (KeePassXC, KDE's Klipper convention) adds with the content "secret". */
    static final String PASSWORD_MANAGER_HINT = "x-kde-passwordManagerHint";

    private final String display;
    private final Selection selection;
    private final SelectionLoop loop;
    private final ExecutorService events;
    private final List<ClipboardListener> listeners;
    private AutoCloseable polling;
    private boolean closed;

    private X11Clipboard(
            String display,
            Selection selection,
            SelectionLoop loop,
            ExecutorService events,
            List<ClipboardListener> listeners) {
        this.display = display;
        this.selection = selection;
        this.loop = loop;
        this.events = events;
        this.listeners = listeners;
    }

    /**
     * Opens the selection on {@code display}, using XFixes for change events when the server has it.
     *
     * @throws ClipboardException when the display cannot be opened
     * @throws UnsatisfiedLinkError when libX11.so.6 or libXfixes.so.3 is missing
     */
    public static X11Clipboard open(String display, Selection selection) throws ClipboardException {
        return open(display, selection, false);
    }

    /** As {@link #open(String, Selection)}; {@code forcePolling} ignores XFixes (to exercise the fallback). */
    static X11Clipboard open(String display, Selection selection, boolean forcePolling) throws ClipboardException {
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(selection, "selection");
        // Listeners run on a thread of their own, so one that reads the clipboard never waits on the loop it runs on.
        ExecutorService events = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "clipboard-events");
            thread.setDaemon(true);
            return thread;
        });
        List<ClipboardListener> listeners = new CopyOnWriteArrayList<>();
        Runnable changed = () -> events.execute(() -> notifyAll(listeners));
        try {
            SelectionLoop loop = SelectionLoop.open(display, selection, !forcePolling, changed);
            return new X11Clipboard(display, selection, loop, events, listeners);
        } catch (ClipboardException | RuntimeException | LinkageError e) {
            events.shutdownNow();
            throw e;
        }
    }

    private static void notifyAll(List<ClipboardListener> listeners) {
        for (ClipboardListener listener : listeners) {
            try {
                listener.selectionChanged();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "clipboard listener failed", e);
            }
        }
    }

    /** {@code "x11-xfixes"}, or {@code "x11-polling"} where the server lacks XFixes. */
    @Override
    public String name() {
        return loop.watchesChanges() ? "x11-xfixes" : "x11-polling";
    }

    public Selection selection() {
        return selection;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code timeout} bounds each wait for the owner (its answer, each chunk of a large text), so a large text
     * from a slow owner is read as long as it keeps coming, up to {@link SelectionLoop#MAX_READ_TIME}.
     */
    @Override
    public Optional<ClipboardContent> read(Duration timeout) throws ClipboardException {
        return loop.read(timeout);
    }

    @Override
    public void write(String text, Duration timeout) throws ClipboardException {
        Objects.requireNonNull(text, "text");
        loop.write(text, timeout);
    }

    /** For tests and diagnostics: X errors on this clipboard's connection, each ignored. */
    int xErrors() throws ClipboardException {
        return loop.errors();
    }

    /** For tests and diagnostics: the owner side's INCR transfers. */
    SelectionLoop.SendCounts sendCounts() throws ClipboardException {
        return loop.sendCounts();
    }

    @Override
    public synchronized void watch(ClipboardListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed) {
            throw new IllegalStateException("clipboard closed");
        }
        listeners.add(listener);
        if (!loop.watchesChanges() && polling == null) {
            polling = PollingWatcher.start(this, () -> notifyAll(listeners));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (polling != null) {
            try {
                polling.close();
            } catch (Exception e) {
                LOG.warning("closing the polling watcher failed: " + e);
            }
        }
        loop.close();
        events.shutdownNow();
    }

    @Override
    public String toString() {
        return name() + " " + selection + " on " + display;
    }
}
