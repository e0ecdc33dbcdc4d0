package org.xenclip.desktop.x11;

import java.nio.charset.StandardCharsets;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.byref.PointerByReference;

/**
 * A bare X client speaking the ICCCM selection protocol by hand, for behaviours no clipboard tool shows on
 * demand: an owner that sends its INCR chunks slowly or without end, and a paste client that dies in the middle
 * of an INCR transfer. Everything runs on the calling thread; each instance has its own connection.
 */
final class RawSelectionPeer implements AutoCloseable {

    private final Native.Xlib x = Native.xlib();
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Pointer dpy;
    private final long window;
    private final long clipboard;
    private final long targets;
    private final long utf8;
    private final long incr;
    private final long property;
    private final Pointer event = Memory.allocateDirect(runtime, Native.XEVENT_SIZE);
    private final Pointer pollFd = Memory.allocateDirect(runtime, Native.POLLFD_SIZE);
    private volatile boolean stopped;

    RawSelectionPeer(String display) {
        dpy = x.XOpenDisplay(display);
        if (dpy == null) {
            throw new IllegalStateException("cannot open X display " + display);
        }
        window = x.XCreateSimpleWindow(dpy, x.XDefaultRootWindow(dpy), 0, 0, 1, 1, 0, 0, 0);
        x.XSelectInput(dpy, window, Native.PROPERTY_CHANGE_MASK);
        clipboard = x.XInternAtom(dpy, "CLIPBOARD", false);
        targets = x.XInternAtom(dpy, "TARGETS", false);
        utf8 = x.XInternAtom(dpy, "UTF8_STRING", false);
        incr = x.XInternAtom(dpy, "INCR", false);
        property = x.XInternAtom(dpy, "RAW_PEER", false);
        XErrors.register(dpy); // a requestor's window may be gone when we answer it
        pollFd.putInt(0, x.XConnectionNumber(dpy));
        pollFd.putShort(4, Native.POLLIN);
    }

    /** The next event into {@link #event}; throws once {@link #stop} was called. */
    private void nextEvent() {
        while (x.XPending(dpy) == 0) {
            if (stopped) {
                throw new IllegalStateException("stopped");
            }
            pollFd.putShort(6, (short) 0);
            Native.libc().poll(pollFd, 1, 50);
        }
        x.XNextEvent(dpy, event);
    }

    /** Makes a {@link #serveIncr} running on another thread give up. */
    void stop() {
        stopped = true;
    }

    /** Takes CLIPBOARD; answer requests with {@link #serveIncr}. */
    void own() {
        x.XSetSelectionOwner(dpy, clipboard, window, 0);
        x.XFlush(dpy);
    }

    /**
     * Answers requests until one UTF8_STRING paste is done: TARGETS, then {@code text} as INCR in {@code chunk}-byte
     * pieces with {@code pauseMillis} before each (the slow owner being tested), then {@code extraChunks} more chunks
     * of {@code chunk} bytes of 'x' beyond the announced size (an owner that never ends). Returns the bytes sent.
     */
    long serveIncr(byte[] text, int chunk, long pauseMillis, int extraChunks) throws InterruptedException {
        long requestor = 0;
        long target = 0;
        while (requestor == 0) {
            nextEvent();
            if ((event.getInt(Native.TYPE) & 0x7f) != Native.SELECTION_REQUEST) {
                continue;
            }
            long req = event.getLong(Native.REQUEST_REQUESTOR);
            long prop = event.getLong(Native.REQUEST_PROPERTY);
            long t = event.getLong(Native.REQUEST_TARGET);
            if (t == targets) {
                Pointer list = Memory.allocateDirect(runtime, 16);
                list.putLong(0, targets);
                list.putLong(8, utf8);
                x.XChangeProperty(dpy, req, prop, Native.XA_ATOM, 32, Native.PROP_MODE_REPLACE, list, 2);
                notify(req, t, prop);
            } else if (t == utf8) {
                x.XSelectInput(dpy, req, Native.PROPERTY_CHANGE_MASK);
                Pointer size = Memory.allocateDirect(runtime, 8);
                size.putLong(0, text.length);
                x.XChangeProperty(dpy, req, prop, incr, 32, Native.PROP_MODE_REPLACE, size, 1);
                notify(req, t, prop);
                requestor = req;
                target = prop;
            } else {
                notify(req, t, 0);
            }
        }
        byte[] filler = "x".repeat(chunk).getBytes(StandardCharsets.US_ASCII);
        long sent = 0;
        int offset = 0;
        int extra = 0;
        while (true) {
            awaitDeleted(requestor, target);
            Thread.sleep(pauseMillis); // the slowness under test, not a synchronisation
            byte[] piece;
            if (offset < text.length) {
                int n = Math.min(chunk, text.length - offset);
                piece = java.util.Arrays.copyOfRange(text, offset, offset + n);
                offset += n;
            } else if (extra < extraChunks) {
                piece = filler;
                extra++;
            } else {
                piece = new byte[0];
            }
            Pointer data = Memory.allocateDirect(runtime, Math.max(1, piece.length));
            data.put(0, piece, 0, piece.length);
            x.XChangeProperty(dpy, requestor, target, utf8, 8, Native.PROP_MODE_REPLACE, data, piece.length);
            x.XFlush(dpy);
            sent += piece.length;
            if (piece.length == 0) {
                return sent;
            }
        }
    }

    /** Waits for {@code prop} on {@code requestor} to be deleted. */
    private void awaitDeleted(long requestor, long prop) {
        while (true) {
            nextEvent();
            if ((event.getInt(Native.TYPE) & 0x7f) == Native.PROPERTY_NOTIFY
                    && event.getLong(Native.WINDOW) == requestor
                    && event.getLong(Native.PROPERTY_ATOM) == prop
                    && event.getInt(Native.PROPERTY_STATE) == 1) {
                return;
            }
        }
    }

    private void notify(long requestor, long target, long prop) {
        Pointer reply = Memory.allocateDirect(runtime, Native.XEVENT_SIZE);
        reply.putInt(Native.TYPE, Native.SELECTION_NOTIFY_CORE);
        reply.putAddress(Native.DISPLAY, dpy.address());
        reply.putLong(Native.WINDOW, requestor);
        reply.putLong(Native.NOTIFY_SELECTION, clipboard);
        reply.putLong(Native.NOTIFY_TARGET, target);
        reply.putLong(Native.NOTIFY_PROPERTY, prop);
        x.XSendEvent(dpy, requestor, false, 0, reply);
        x.XFlush(dpy);
    }

    /**
     * As a paste client: asks for CLIPBOARD as UTF8_STRING, expects INCR, takes {@code chunks} chunks and then
     * destroys its window mid-transfer, as a client that crashes does.
     *
     * @return the bytes received before dying
     */
    int pasteAndDie(int chunks) {
        x.XConvertSelection(dpy, clipboard, utf8, property, window, 0);
        x.XFlush(dpy);
        do {
            nextEvent();
        } while ((event.getInt(Native.TYPE) & 0x7f) != Native.SELECTION_NOTIFY_CORE);
        if (!readProperty().equals("INCR")) {
            throw new IllegalStateException("the owner did not answer with INCR");
        }
        int received = 0;
        for (int i = 0; i < chunks; i++) {
            do {
                nextEvent();
            } while (!((event.getInt(Native.TYPE) & 0x7f) == Native.PROPERTY_NOTIFY
                    && event.getLong(Native.PROPERTY_ATOM) == property
                    && event.getInt(Native.PROPERTY_STATE) == Native.PROPERTY_NEW_VALUE));
            readProperty();
            received += lastLength;
        }
        x.XDestroyWindow(dpy, window);
        x.XFlush(dpy);
        return received;
    }

    /**
     * As a paste client that exits the moment it asked: requests TARGETS and destroys its window in the same
     * breath, so the owner's answer meets a window that is gone (an X error on the owner's connection).
     */
    void requestAndVanish() {
        x.XConvertSelection(dpy, clipboard, targets, property, window, 0);
        x.XDestroyWindow(dpy, window);
        x.XFlush(dpy);
    }

    private int lastLength;

    /** Reads and deletes our property: "INCR" for an INCR announcement, else "data" (its length in lastLength). */
    private String readProperty() {
        NativeLongByReference type = new NativeLongByReference();
        IntByReference format = new IntByReference();
        NativeLongByReference items = new NativeLongByReference();
        NativeLongByReference after = new NativeLongByReference();
        PointerByReference data = new PointerByReference();
        x.XGetWindowProperty(dpy, window, property, 0, 1 << 24, true, 0, type, format, items, after, data);
        if (data.getValue() != null) {
            x.XFree(data.getValue());
        }
        lastLength = 0;
        if (type.getValue().longValue() == incr) {
            return "INCR";
        }
        lastLength = items.getValue().intValue();
        return "data";
    }

    /** Call on the thread that used the peer, or after that thread finished. */
    @Override
    public void close() {
        XErrors.unregister(dpy);
        x.XCloseDisplay(dpy);
    }
}
