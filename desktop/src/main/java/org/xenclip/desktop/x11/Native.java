package org.xenclip.desktop.x11;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * The few Xlib, XFixes and libc calls the change watcher needs, bound with jnr-ffi. Libraries load by their
 * versioned names: desktops ship {@code libX11.so.6} but only development packages add {@code libX11.so}.
 */
final class Native {

    /**
     * Xlib; each display connection is used by one thread only: the watcher's by {@code clipboard-events}, the
     * ownership query connection by {@code clipboard}.
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

        /** The window owning {@code selection} now, or None (0). A round trip to the server. */
        long XGetSelectionOwner(Pointer display, long selection);
    }

    /** XFixes: selection-owner change notifications (XFixes protocol version 1). */
    public interface XFixes {
        boolean XFixesQueryExtension(Pointer display, IntByReference eventBase, IntByReference errorBase);

        void XFixesSelectSelectionInput(Pointer display, long window, long selection, long eventMask);
    }

    /** libc: a pipe to wake the event loop for shutdown, and poll to wait on it and the X connection. */
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
