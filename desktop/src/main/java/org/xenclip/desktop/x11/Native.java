package org.xenclip.desktop.x11;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.byref.PointerByReference;

/**
 * The Xlib, XFixes and libc calls the X11 clipboard makes, bound with jnr-ffi, and the layouts of the X events it
 * reads (LP64: {@code long}, {@code Window}, {@code Atom} and {@code Time} are 8 bytes). Libraries load by their
 * versioned names: desktops ship {@code libX11.so.6} but only development packages add {@code libX11.so}.
 */
final class Native {

    /**
     * Xlib. Each display connection is used by one thread only ({@link SelectionLoop}'s); Xlib is not asked to
     * lock, so no connection may be shared.
     */
    public interface Xlib {
        Pointer XOpenDisplay(String name);

        int XCloseDisplay(Pointer display);

        long XInternAtom(Pointer display, String name, boolean onlyIfExists);

        long XDefaultRootWindow(Pointer display);

        int XConnectionNumber(Pointer display);

        int XPending(Pointer display);

        int XNextEvent(Pointer display, Pointer event);

        int XFlush(Pointer display);

        /** Flushes and waits until the server has handled every request (errors included). */
        int XSync(Pointer display, boolean discard);

        /** The window owning {@code selection} now, or None (0). A round trip to the server. */
        long XGetSelectionOwner(Pointer display, long selection);

        int XSetSelectionOwner(Pointer display, long selection, long owner, long time);

        int XConvertSelection(Pointer display, long selection, long target, long property, long requestor, long time);

        long XCreateSimpleWindow(
                Pointer display,
                long parent,
                int x,
                int y,
                int width,
                int height,
                int borderWidth,
                long border,
                long background);

        int XDestroyWindow(Pointer display, long window);

        int XSelectInput(Pointer display, long window, long eventMask);

        int XChangeProperty(
                Pointer display,
                long window,
                long property,
                long type,
                int format,
                int mode,
                @In Pointer data,
                int elements);

        int XDeleteProperty(Pointer display, long window, long property);

        /** Reads a property; {@code data} is Xlib's copy, freed with {@link #XFree}. 32-bit items come as C longs. */
        int XGetWindowProperty(
                Pointer display,
                long window,
                long property,
                long offset,
                long length,
                boolean delete,
                long requestedType,
                NativeLongByReference actualType,
                IntByReference actualFormat,
                NativeLongByReference items,
                NativeLongByReference bytesAfter,
                PointerByReference data);

        int XSendEvent(Pointer display, long window, boolean propagate, long eventMask, @In Pointer event);

        int XFree(Pointer data);

        /** The largest request the server takes, in 4-byte units, with BIG-REQUESTS; 0 without it. */
        long XExtendedMaxRequestSize(Pointer display);

        long XMaxRequestSize(Pointer display);

        /** Installs the process's error handler, returning the previous one's address. */
        Pointer XSetErrorHandler(ErrorHandler handler);
    }

    /** Xlib's error handler: {@code int (*)(Display *, XErrorEvent *)}. */
    public interface ErrorHandler {
        @Delegate
        int handle(Pointer display, Pointer errorEvent);
    }

    /** XFixes: selection-owner change notifications (XFixes protocol version 1). */
    public interface XFixes {
        boolean XFixesQueryExtension(Pointer display, IntByReference eventBase, IntByReference errorBase);

        void XFixesSelectSelectionInput(Pointer display, long window, long selection, long eventMask);
    }

    /** libc: a pipe to wake the event loop, and poll to wait on it and the X connection. */
    public interface LibC {
        int pipe(int[] fds);

        int poll(Pointer fds, long nfds, int timeoutMillis);

        long read(int fd, byte[] buffer, long count);

        long write(int fd, byte[] buffer, long count);

        int close(int fd);

        String getenv(String name);
    }

    /** XFixesSetSelectionOwnerNotifyMask | XFixesSelectionWindowDestroyNotifyMask | ClientCloseNotifyMask. */
    static final long ALL_SELECTION_EVENTS = 1 | 2 | 4;

    /** XFixesSelectionNotify, added to the extension's event base. */
    static final int SELECTION_NOTIFY = 0;

    /** sizeof(XEvent) on LP64: the union is padded to 24 longs. */
    static final int XEVENT_SIZE = 24 * 8;

    // Core event types (X.h).
    static final int DESTROY_NOTIFY = 17;
    static final int PROPERTY_NOTIFY = 28;
    static final int SELECTION_CLEAR = 29;
    static final int SELECTION_REQUEST = 30;
    static final int SELECTION_NOTIFY_CORE = 31;

    // Event masks (X.h).
    static final long STRUCTURE_NOTIFY_MASK = 1L << 17;
    static final long PROPERTY_CHANGE_MASK = 1L << 22;

    // Predefined atoms (Xatom.h).
    static final long XA_ATOM = 4;
    static final long XA_INTEGER = 19;
    static final long XA_STRING = 31;

    /** PropertyNotify's state: the property got a new value; {@code 1} is PropertyDelete. */
    static final int PROPERTY_NEW_VALUE = 0;

    static final int PROP_MODE_REPLACE = 0;
    static final int PROP_MODE_APPEND = 2;

    /** Every field common to all events: int type at 0, unsigned long serial at 8, Bool send_event at 16. */
    static final int TYPE = 0;

    /** {@code Display *display} in every event. */
    static final int DISPLAY = 24;

    /** The event's first window field: XAnyEvent.window, XSelectionRequestEvent.owner, ... */
    static final int WINDOW = 32;

    // XSelectionRequestEvent.
    static final int REQUEST_REQUESTOR = 40;
    static final int REQUEST_SELECTION = 48;
    static final int REQUEST_TARGET = 56;
    static final int REQUEST_PROPERTY = 64;
    static final int REQUEST_TIME = 72;

    // XSelectionEvent (SelectionNotify); its requestor is at WINDOW.
    static final int NOTIFY_SELECTION = 40;
    static final int NOTIFY_TARGET = 48;
    static final int NOTIFY_PROPERTY = 56;
    static final int NOTIFY_TIME = 64;

    // XSelectionClearEvent; its window is at WINDOW.
    static final int CLEAR_SELECTION = 40;
    static final int CLEAR_TIME = 48;

    // XPropertyEvent; its window is at WINDOW.
    static final int PROPERTY_ATOM = 40;
    static final int PROPERTY_TIME = 48;
    static final int PROPERTY_STATE = 56;

    // XDestroyWindowEvent: the destroyed window (its event window is at WINDOW).
    static final int DESTROYED_WINDOW = 40;

    // XFixesSelectionNotifyEvent: Window owner at 48, Atom selection at 56.
    static final int FIXES_OWNER = 48;
    static final int FIXES_SELECTION = 56;

    // XErrorEvent: int type, Display *display at 8, XID resourceid at 16, serial at 24, error_code at 32, request_code
    // at 33.
    static final int ERROR_DISPLAY = 8;
    static final int ERROR_RESOURCE = 16;
    static final int ERROR_CODE = 32;
    static final int ERROR_REQUEST = 33;

    /** struct pollfd { int fd; short events; short revents; }. */
    static final int POLLFD_SIZE = 8;

    static final short POLLIN = 1;

    private static Xlib xlib;
    private static XFixes xfixes;
    private static LibC libc;

    private Native() {}

    /** @throws UnsatisfiedLinkError when the library is not installed */
    static synchronized Xlib xlib() {
        if (xlib == null) {
            xlib = LibraryLoader.create(Xlib.class).failImmediately().load("libX11.so.6");
        }
        return xlib;
    }

    /** @throws UnsatisfiedLinkError when the library is not installed */
    static synchronized XFixes xfixes() {
        if (xfixes == null) {
            xfixes = LibraryLoader.create(XFixes.class).failImmediately().load("libXfixes.so.3");
        }
        return xfixes;
    }

    static synchronized LibC libc() {
        if (libc == null) {
            libc = LibraryLoader.create(LibC.class).failImmediately().load("libc.so.6");
        }
        return libc;
    }
}
