package org.xenclip.desktop.x11;

import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
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
import java.util.logging.Logger;
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

    private final String display;
    private final Selection selection;
    private final boolean xfixes;
    private final ExecutorService worker;
    private final Clipboard clipboard;
    private final List<ClipboardListener> listeners = new CopyOnWriteArrayList<>();
    private AutoCloseable watcher;
    private volatile boolean closed;

    private X11Clipboard(
            String display, Selection selection, boolean xfixes, ExecutorService worker, Clipboard clipboard) {
        this.display = display;
        this.selection = selection;
        this.xfixes = xfixes;
        this.worker = worker;
        this.clipboard = clipboard;
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
        // AWT connects to the process's native DISPLAY; the watcher to the one given. They must agree.
        String processDisplay = Native.libc().getenv("DISPLAY");
        if (!display.equals(processDisplay)) {
            throw new ClipboardException(
                    "DISPLAY " + display + " was asked for, but AWT would use the process's DISPLAY " + processDisplay
                            + "; AWT can only use the display the process was started with");
        }
        boolean xfixes = SelectionWatcher.hasXFixes(display) && !forcePolling;
        if (System.getProperty("java.awt.headless") == null) {
            // The JDK decides headless from its start-up copy of DISPLAY; we have just reached the server.
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
        try {
            Clipboard clipboard = call(worker, Duration.ofSeconds(10), "open " + selection, () -> {
                Toolkit toolkit = Toolkit.getDefaultToolkit();
                Objects.requireNonNull(Hint.FLAVOR);
                return selection == Selection.CLIPBOARD ? toolkit.getSystemClipboard() : toolkit.getSystemSelection();
            });
            if (clipboard == null) {
                throw new ClipboardException("the AWT toolkit offers no " + selection + " selection");
            }
            return new X11Clipboard(display, selection, xfixes, worker, clipboard);
        } catch (ClipboardException | RuntimeException e) {
            worker.shutdownNow();
            throw e;
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
        return call(worker, timeout, "read " + selection, this::readNow);
    }

    private Optional<ClipboardContent> readNow() throws ClipboardException {
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

    @Override
    public void write(String text, Duration timeout) throws ClipboardException {
        Objects.requireNonNull(text, "text");
        call(worker, timeout, "write " + selection, () -> {
            try {
                clipboard.setContents(new StringSelection(text), null);
            } catch (IllegalStateException e) {
                throw new ClipboardException(selection + " is unavailable: " + e.getMessage(), e);
            }
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
        worker.shutdownNow();
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
