package org.xenclip.desktop.x11;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.ClipboardListener;
import org.xenclip.desktop.Selection;

/**
 * Watches one selection for owner changes through XFixes on a display connection of its own, owned by the
 * {@code clipboard-events} thread: that thread opens the display, blocks in poll(2) on the X connection and a
 * wake-up pipe, and closes the display when {@link #close()} writes to the pipe.
 *
 * <p>Every SetSelectionOwner raises an event, including a program replacing its own text with new text, which
 * AWT's FlavorListener misses. The owner's window being destroyed or its client disconnecting raises one too.
 */
final class SelectionWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SelectionWatcher.class.getName());

    private final Native.Xlib xlib;
    private final Native.LibC libc;
    private final Thread thread;
    private final int[] wakeup = new int[2];
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile String startFailure;
    private volatile boolean closing;

    private SelectionWatcher(String display, Selection selection, ClipboardListener listener) {
        this.xlib = Native.xlib();
        this.libc = Native.libc();
        this.thread = new Thread(() -> run(display, selection, listener), "clipboard-events");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(
                (t, e) -> LOG.log(Level.SEVERE, "clipboard-events thread died; changes are no longer seen", e));
    }

    /**
     * Starts watching, returning once the watch is in place.
     *
     * @throws ClipboardException when the display cannot be opened or lacks XFixes (the caller falls back)
     * @throws UnsatisfiedLinkError when libX11.so.6 or libXfixes.so.3 is missing
     */
    static SelectionWatcher start(String display, Selection selection, ClipboardListener listener)
            throws ClipboardException {
        Objects.requireNonNull(display, "display");
        SelectionWatcher watcher = new SelectionWatcher(display, selection, listener);
        Native.xfixes(); // fail here, on the caller's thread, when the library is missing
        if (watcher.libc.pipe(watcher.wakeup) != 0) {
            throw new ClipboardException("pipe(2) failed for the clipboard-events wake-up");
        }
        watcher.thread.start();
        try {
            if (!watcher.started.await(10, TimeUnit.SECONDS)) {
                watcher.close();
                throw new ClipboardException("clipboard-events thread did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
            throw new ClipboardException("interrupted while starting the clipboard-events thread", e);
        }
        if (watcher.startFailure != null) {
            watcher.close();
            throw new ClipboardException(watcher.startFailure);
        }
        return watcher;
    }

    /**
     * Whether the display has the XFixes extension; opens and closes a short-lived connection of its own.
     *
     * @throws ClipboardException when the display cannot be opened
     */
    static boolean hasXFixes(String display) throws ClipboardException {
        Native.Xlib x = Native.xlib();
        Pointer dpy = x.XOpenDisplay(display);
        if (dpy == null) {
            throw new ClipboardException("cannot open X display " + display);
        }
        try {
            return Native.xfixes().XFixesQueryExtension(dpy, new IntByReference(), new IntByReference());
        } finally {
            x.XCloseDisplay(dpy);
        }
    }

    private void run(String display, Selection selection, ClipboardListener listener) {
        Pointer dpy = xlib.XOpenDisplay(display);
        if (dpy == null) {
            fail("cannot open X display " + display);
            return;
        }
        try {
            IntByReference eventBase = new IntByReference();
            if (!Native.xfixes().XFixesQueryExtension(dpy, eventBase, new IntByReference())) {
                fail("X display " + display + " has no XFixes extension");
                return;
            }
            long atom = xlib.XInternAtom(dpy, selection.name(), false);
            Native.xfixes()
                    .XFixesSelectSelectionInput(dpy, xlib.XDefaultRootWindow(dpy), atom, Native.ALL_SELECTION_EVENTS);
            xlib.XFlush(dpy);
            started.countDown();
            loop(dpy, eventBase.getValue() + Native.SELECTION_NOTIFY, atom, listener);
        } finally {
            xlib.XCloseDisplay(dpy);
            libc.close(wakeup[0]);
        }
    }

    private void loop(Pointer dpy, int notifyType, long atom, ClipboardListener listener) {
        Runtime runtime = Runtime.getSystemRuntime();
        Pointer event = Memory.allocateDirect(runtime, Native.XEVENT_SIZE);
        Pointer fds = Memory.allocateDirect(runtime, 2 * Native.POLLFD_SIZE);
        fds.putInt(0, xlib.XConnectionNumber(dpy));
        fds.putShort(4, Native.POLLIN);
        fds.putInt(8, wakeup[0]);
        fds.putShort(12, Native.POLLIN);
        while (!closing) {
            // XPending flushes our requests and reads what the socket holds; poll only once the queue is empty
            while (xlib.XPending(dpy) > 0) {
                xlib.XNextEvent(dpy, event);
                // XFixesSelectionNotifyEvent: int type at 0, Atom selection at 56 on LP64
                if (event.getInt(0) == notifyType && event.getLong(56) == atom) {
                    notify(listener);
                }
            }
            fds.putShort(6, (short) 0);
            fds.putShort(14, (short) 0);
            int ready = libc.poll(fds, 2, -1);
            if (ready < 0) {
                continue; // EINTR; a real failure shows up as closing or as an X I/O error
            }
            if ((fds.getShort(14) & 0xffff) != 0) {
                return;
            }
        }
    }

    private static void notify(ClipboardListener listener) {
        try {
            listener.selectionChanged();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "clipboard listener failed", e);
        }
    }

    private void fail(String message) {
        startFailure = message;
        started.countDown();
    }

    private void join() {
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (thread.isAlive()) {
            libc.write(wakeup[1], new byte[] {1}, 1);
            join();
        }
        libc.close(wakeup[1]);
    }
}
