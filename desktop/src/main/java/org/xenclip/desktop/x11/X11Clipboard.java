package org.xenclip.desktop.x11;

import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.ClipboardOwner;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.FlavorMap;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.SystemFlavorMap;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import jnr.ffi.Pointer;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.ClipboardListener;
import org.xenclip.desktop.Selection;

/**
 * The X11 clipboard: AWT's system clipboard (or system selection for PRIMARY) in a non-headless JVM that opens
 * no window, read and written on a {@code clipboard} thread with timeouts, and watched through XFixes on a
 * {@code clipboard-events} thread ({@link SelectionWatcher}); where the display lacks XFixes, a
 * {@link PollingWatcher} with adaptive back-off takes its place.
 *
 * <p>AWT opens the display named by the process's {@code DISPLAY} once per JVM; {@code display} given here must
 * name the same server, since the change watcher connects to it separately.
 *
 * <p><b>Our own stale text.</b> While AWT believes it owns the selection it answers reads from its local copy of
 * what we last wrote. When another program takes the selection, the server tells AWT with a SelectionClear on
 * AWT's connection and tells our watcher with an XFixes event on the watcher's connection; the two are handled
 * by different threads, so a read made on the XFixes event can run before AWT has handled its SelectionClear and
 * would return our old text (X11StaleReadIT's loop did so in 26 of 60 rounds before this check). AWT reports
 * handling it by calling the {@link ClipboardOwner} given with the write. So every write carries a fresh owner token, and the
 * {@code clipboard} thread asks the server directly ({@code XGetSelectionOwner} on a connection of its own) which
 * window owns the selection right after writing: that is AWT's window. A read (or the next write) made while our
 * token is still held checks the server's owner; if it is another window, AWT is behind, and the read waits with
 * a short back-off until AWT has dropped our token (its SelectionClear handled, so it now asks the real owner),
 * bounded by {@link #MAX_CATCH_UP} and the caller's timeout. If our window still owns it, AWT's copy is the truth
 * and the read goes ahead at once. Asking the server rather than trusting the XFixes event's owner field means
 * no bookkeeping of event order, and the polling fallback (no XFixes) gets the same guarantee.
 */
public final class X11Clipboard implements ClipboardBackend {

    private static final Logger LOG = Logger.getLogger(X11Clipboard.class.getName());

    /** The target a password manager (KeePassXC, KDE's Klipper convention) adds with the content "secret". */
    static final String PASSWORD_MANAGER_HINT = "x-kde-passwordManagerHint";

    /** Touches AWT's flavor map, which fixes AWT's headless mode: only after {@link #open} decided it. */
    private static final class Hint {
        static final DataFlavor FLAVOR = registerHintFlavor();
    }

    /** Longest a hint target's content may be; it only ever holds "secret". */
    private static final int MAX_HINT_BYTES = 64;

    /**
     * Longest a read waits for AWT to handle losing the selection; AWT's event threads take milliseconds, this
     * only bounds a stuck toolkit (the read then fails rather than returning our stale text).
     */
    static final Duration MAX_CATCH_UP = Duration.ofSeconds(5);

    /** The first pause while waiting for AWT to catch up; each next one doubles, up to the longest. */
    private static final long FIRST_PAUSE_MILLIS = 1;

    /** The longest pause while waiting for AWT: short, since AWT usually catches up within milliseconds. */
    private static final long MAX_PAUSE_MILLIS = 20;

    private final String display;
    private final Selection selection;
    private final boolean xfixes;
    private final ExecutorService worker;
    private final Clipboard clipboard;
    private final List<ClipboardListener> listeners = new CopyOnWriteArrayList<>();
    /** The token of our last write while AWT believes it owns the selection; null once it knows it lost it. */
    private final AtomicReference<Object> ownedWrite = new AtomicReference<>();
    /** A connection of the {@code clipboard} thread's own, for XGetSelectionOwner. */
    private final Pointer query;
    /** The selection's atom on {@link #query}. */
    private final long atom;
    /** AWT's owner window, as the server reported right after our last write; {@code clipboard} thread only. */
    private long ownWindow;

    private AutoCloseable watcher;
    private volatile boolean closed;

    private X11Clipboard(
            String display,
            Selection selection,
            boolean xfixes,
            ExecutorService worker,
            Clipboard clipboard,
            Pointer query,
            long atom) {
        this.display = display;
        this.selection = selection;
        this.xfixes = xfixes;
        this.worker = worker;
        this.clipboard = clipboard;
        this.query = query;
        this.atom = atom;
    }

    /**
     * Opens the selection on {@code display}, using XFixes for change events when the server has it.
     *
     * @throws ClipboardException when the display cannot be opened, AWT is headless, or the toolkit lacks the
     *     selection
     * @throws UnsatisfiedLinkError when libX11.so.6 or libXfixes.so.3 is missing
     */
    public static X11Clipboard open(String display, Selection selection) throws ClipboardException {
        return open(display, selection, false);
    }

    /** As {@link #open(String, Selection)}; {@code forcePolling} ignores XFixes (to exercise the fallback). */
    static X11Clipboard open(String display, Selection selection, boolean forcePolling) throws ClipboardException {
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(selection, "selection");
        if (System.getProperty("java.awt.headless") == null) {
            // The JDK decides headless from its start-up copy of DISPLAY; the probe below reaches the server.
            System.setProperty("java.awt.headless", "false");
        }
        if (GraphicsEnvironment.isHeadless()) {
            throw new ClipboardException("AWT is headless (java.awt.headless=" + System.getProperty("java.awt.headless")
                    + "): the X11 clipboard needs a JVM with a display");
        }
        ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "clipboard");
            thread.setDaemon(true);
            return thread;
        });
        // Start-up time: AWT's toolkit and jnr-ffi (its first use, then binding libc, Xlib and XFixes) are the two
        // slow steps, so the toolkit starts on the worker at once while this thread checks DISPLAY and probes the
        // server. When a check fails, the toolkit's own outcome is not reported: ours names the cause.
        Future<Clipboard> awt = worker.submit(() -> {
            Toolkit toolkit = Toolkit.getDefaultToolkit();
            Objects.requireNonNull(Hint.FLAVOR);
            return selection == Selection.CLIPBOARD ? toolkit.getSystemClipboard() : toolkit.getSystemSelection();
        });
        boolean xfixes;
        try {
            // AWT connects to the process's native DISPLAY; the watcher to the one given. They must agree.
            String processDisplay = Native.libc().getenv("DISPLAY");
            if (!display.equals(processDisplay)) {
                throw new ClipboardException("DISPLAY " + display + " was asked for, but AWT would use the process's "
                        + "DISPLAY " + processDisplay + "; AWT can only use the display the process was started with");
            }
            xfixes = SelectionWatcher.hasXFixes(display) && !forcePolling;
        } catch (ClipboardException | RuntimeException | LinkageError e) {
            worker.shutdownNow();
            throw e;
        }
        Native.Xlib xlib = Native.xlib();
        Pointer query = call(worker, Duration.ofSeconds(10), "open " + selection, () -> xlib.XOpenDisplay(display));
        if (query == null) {
            worker.shutdownNow();
            throw new ClipboardException("cannot open X display " + display);
        }
        try {
            // done by now: the worker ran the toolkit's start before the XOpenDisplay above
            Clipboard clipboard = call(worker, Duration.ofSeconds(10), "open " + selection, () -> started(awt));
            if (clipboard == null) {
                throw new ClipboardException("the AWT toolkit offers no " + selection + " selection");
            }
            long atom = call(
                    worker,
                    Duration.ofSeconds(10),
                    "open " + selection,
                    () -> xlib.XInternAtom(query, selection.name(), false));
            return new X11Clipboard(display, selection, xfixes, worker, clipboard, query, atom);
        } catch (ClipboardException | RuntimeException e) {
            closeWorker(worker, query);
            throw e;
        }
    }

    /** The toolkit's start's result, its failure rethrown as it was thrown (for {@link #call} to report). */
    private static Clipboard started(Future<Clipboard> awt) throws ClipboardException {
        try {
            return awt.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new ClipboardException("starting the AWT toolkit failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClipboardException("interrupted while the AWT toolkit started", e);
        }
    }

    /** {@code "x11-xfixes"}, or {@code "x11-polling"} where the server lacks XFixes. */
    @Override
    public String name() {
        return xfixes ? "x11-xfixes" : "x11-polling";
    }

    public Selection selection() {
        return selection;
    }

    @Override
    public Optional<ClipboardContent> read(Duration timeout) throws ClipboardException {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), MAX_CATCH_UP.toNanos());
        return call(worker, timeout, "read " + selection, () -> readNow(deadline));
    }

    private Optional<ClipboardContent> readNow(long deadline) throws ClipboardException {
        awaitAwtCaughtUp(deadline);
        try {
            List<DataFlavor> flavors = Arrays.asList(clipboard.getAvailableDataFlavors());
            if (!flavors.contains(DataFlavor.stringFlavor)) {
                return Optional.empty();
            }
            boolean secret = flavors.contains(Hint.FLAVOR) && isSecretHint(clipboard.getData(Hint.FLAVOR));
            String text = (String) clipboard.getData(DataFlavor.stringFlavor);
            return Optional.of(new ClipboardContent(text, secret));
        } catch (UnsupportedFlavorException e) {
            return Optional.empty(); // the owner changed between listing its targets and our request
        } catch (IOException e) {
            throw new ClipboardException("reading " + selection + " failed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ClipboardException(selection + " is unavailable: " + e.getMessage(), e);
        }
    }

    private static boolean isSecretHint(Object data) throws IOException {
        if (!(data instanceof InputStream stream)) {
            return false;
        }
        try (InputStream in = stream) {
            byte[] bytes = in.readNBytes(MAX_HINT_BYTES);
            return new String(bytes, StandardCharsets.UTF_8).trim().equals("secret");
        }
    }

    /**
     * On {@code clipboard}: returns once AWT's answer is the real owner's, i.e. at once unless AWT still holds our
     * last write while the server says another window owns the selection (see the class comment).
     *
     * @throws ClipboardException when AWT has not caught up by {@code deadline} (a {@link System#nanoTime} value)
     */
    private void awaitAwtCaughtUp(long deadline) throws ClipboardException {
        Object token = ownedWrite.get();
        if (token == null) {
            return;
        }
        long owner = Native.xlib().XGetSelectionOwner(query, atom);
        if (owner == ownWindow) {
            return;
        }
        long pause = FIRST_PAUSE_MILLIS;
        while (ownedWrite.get() == token) {
            if (System.nanoTime() - deadline > 0) {
                throw new ClipboardException("AWT still answers " + selection + " with our last write, though window 0x"
                        + Long.toHexString(owner) + " owns it");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClipboardException("interrupted while AWT caught up with the new " + selection + " owner", e);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    @Override
    public void write(String text, Duration timeout) throws ClipboardException {
        Objects.requireNonNull(text, "text");
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), MAX_CATCH_UP.toNanos());
        call(worker, timeout, "write " + selection, () -> {
            // A SelectionClear AWT handles after our new write would drop the new text: let it land first.
            awaitAwtCaughtUp(deadline);
            Object token = new Object();
            ClipboardOwner owner = (lost, contents) -> ownedWrite.compareAndSet(token, null);
            ownedWrite.set(token);
            try {
                clipboard.setContents(new StringSelection(text), owner);
            } catch (IllegalStateException e) {
                ownedWrite.compareAndSet(token, null);
                throw new ClipboardException(selection + " is unavailable: " + e.getMessage(), e);
            }
            // AWT confirmed ownership with a round trip of its own, so the server names AWT's window now. The one
            // gap: a program taking the selection in the microseconds between AWT's check and ours would be taken
            // for us, and reads would trust AWT until it handles that SelectionClear (the behaviour before).
            long window = Native.xlib().XGetSelectionOwner(query, atom);
            // None right after our write: someone cleared it and AWT will hear so; no window of ours to trust.
            ownWindow = window == 0 ? -1 : window;
            return null;
        });
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
        ClipboardListener all = () -> listeners.forEach(ClipboardListener::selectionChanged);
        if (xfixes) {
            try {
                watcher = SelectionWatcher.start(display, selection, all);
                return;
            } catch (ClipboardException e) {
                LOG.warning("XFixes change events unavailable (" + e.getMessage() + "); polling " + selection);
            }
        }
        watcher = PollingWatcher.start(this, all);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (Exception e) {
                LOG.warning("closing the change watcher failed: " + e);
            }
        }
        closeWorker(worker, query);
    }

    /** Stops {@code worker} and closes its query connection once it has stopped (else leaves it to the exit). */
    private static void closeWorker(ExecutorService worker, Pointer query) {
        worker.shutdownNow();
        try {
            if (worker.awaitTermination(1, TimeUnit.SECONDS)) {
                Native.xlib().XCloseDisplay(query);
            } else {
                LOG.warning("clipboard thread still busy after close; its X connection stays open");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name() + " " + selection + " on " + display;
    }

    @FunctionalInterface
    private interface Task<T> {
        T run() throws ClipboardException;
    }

    private static <T> T call(ExecutorService worker, Duration timeout, String what, Task<T> task)
            throws ClipboardException {
        Callable<T> callable = task::run;
        Future<T> future;
        try {
            future = worker.submit(callable);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new ClipboardException(what + ": clipboard closed", e);
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // An X selection transfer waits for the owner's answer; interrupt ours so the next call can go.
            future.cancel(true);
            throw new ClipboardException(what + " timed out after " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ClipboardException clipboardException) {
                throw clipboardException;
            }
            if (cause instanceof HeadlessException) {
                throw new ClipboardException(what + ": AWT is headless", cause);
            }
            throw new ClipboardException(what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new ClipboardException(what + " interrupted", e);
        }
    }

    private static DataFlavor registerHintFlavor() {
        // AWT only lists targets that map to a flavor: teach it the hint's target name.
        DataFlavor flavor = new DataFlavor(
                "application/x-kde-passwordmanagerhint;class=java.io.InputStream", "password manager hint");
        FlavorMap map = SystemFlavorMap.getDefaultFlavorMap();
        if (map instanceof SystemFlavorMap system) {
            system.addUnencodedNativeForFlavor(flavor, PASSWORD_MANAGER_HINT);
            system.addFlavorForUnencodedNative(PASSWORD_MANAGER_HINT, flavor);
        }
        return flavor;
    }
}
