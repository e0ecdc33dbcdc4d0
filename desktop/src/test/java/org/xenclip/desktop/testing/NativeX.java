package org.xenclip.desktop.testing;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.byref.PointerByReference;

/** The few Xlib and libc calls the test kit needs, loaded by versioned names (users lack the bare .so). */
final class NativeX {

    /** Xlib, only to ask who owns a selection and whether that window still exists. */
    public interface Xlib {
        Pointer XOpenDisplay(String name);

        long XInternAtom(Pointer display, String name, boolean onlyIfExists);

        long XGetSelectionOwner(Pointer display, long atom);

        long XDefaultRootWindow(Pointer display);

        /** Never raises an X error for the root window, unlike asking about a window that may be gone. */
        int XQueryTree(
                Pointer display,
                long window,
                NativeLongByReference root,
                NativeLongByReference parent,
                PointerByReference children,
                IntByReference count);

        int XFree(Pointer data);

        int XCloseDisplay(Pointer display);
    }

    /** libc, to point this JVM's native DISPLAY at a test server before AWT reads it. */
    public interface LibC {
        int setenv(String name, String value, int overwrite);
    }

    private static volatile Xlib xlib;
    private static volatile LibC libc;

    private NativeX() {}

    static synchronized Xlib xlib() {
        if (xlib == null) {
            xlib = LibraryLoader.create(Xlib.class).failImmediately().load("libX11.so.6");
        }
        return xlib;
    }

    static synchronized LibC libc() {
        if (libc == null) {
            libc = LibraryLoader.create(LibC.class).failImmediately().load("libc.so.6");
        }
        return libc;
    }
}
