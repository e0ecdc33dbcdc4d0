package org.xenclip.desktop.x11;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Pointer;

/**
 * The process's Xlib error handler, installed once. Xlib's default handler prints the error and exits the process,
 * and a selection owner meets errors in normal work: a paste client that exits mid-transfer leaves a window id that
 * is gone by the time we write its property. So errors on our own connections are counted per connection and
 * ignored (the next step of the transfer notices that the window is gone); errors on other connections in the
 * process (GTK's, JavaFX's) go to the handler that was installed before ours, as if ours were not there.
 */
final class XErrors {

    private static final Logger LOG = Logger.getLogger(XErrors.class.getName());

    /** Error counts of our connections, by the {@code Display *} address. */
    private static final Map<Long, Integer> OURS = new ConcurrentHashMap<>();

    /** Kept reachable: Xlib holds only the native trampoline, and a collected closure would crash the process. */
    private static Native.ErrorHandler handler;

    private static long previous;

    private XErrors() {}

    /** Installs the handler (once) and routes {@code display}'s errors to it. */
    static synchronized void register(Pointer display) {
        if (handler == null) {
            handler = XErrors::handle;
            Pointer before = Native.xlib().XSetErrorHandler(handler);
            previous = before == null ? 0 : before.address();
        }
        OURS.put(display.address(), 0);
    }

    /** Call before closing {@code display}. */
    static void unregister(Pointer display) {
        OURS.remove(display.address());
    }

    /** How many errors {@code display} has had. */
    static int count(Pointer display) {
        return OURS.getOrDefault(display.address(), 0);
    }

    private static int handle(Pointer display, Pointer event) {
        long address = display == null ? 0 : display.address();
        if (OURS.computeIfPresent(address, (key, count) -> count + 1) != null) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("X error " + (event.getByte(Native.ERROR_CODE) & 0xff) + " on request "
                        + (event.getByte(Native.ERROR_REQUEST) & 0xff) + " for resource 0x"
                        + Long.toHexString(event.getLong(Native.ERROR_RESOURCE)) + " (ignored)");
            }
            return 0;
        }
        if (previous == 0) {
            return 0;
        }
        CallContext context = CallContext.getCallContext(
                Type.SINT, new Type[] {Type.POINTER, Type.POINTER}, CallingConvention.DEFAULT, false);
        return (int) Invoker.getInstance().invokeN2(context, previous, address, event.address());
    }
}
