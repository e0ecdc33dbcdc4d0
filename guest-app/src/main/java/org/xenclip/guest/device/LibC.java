package org.xenclip.guest.device;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * Every libc call the agent makes, bound directly with jnr-ffi. Loaded by the versioned name {@code libc.so.6}
 * because users rarely have the unversioned development symlink.
 *
 * <p>Why not jnr-posix for open, read and write: {@code POSIXFactory.getNativePOSIX()} binds jnr-posix's whole
 * libc interface (hundreds of functions) before the first call, and that alone took 200-450 ms of CPU at start,
 * more than the start-up budget of the agent (docs/benchmarks/guest-startup.md). These eleven functions bind in
 * a fraction of that; the errno names still come from jnr-constants.
 */
public interface LibC {

    /** Loads the binding once; fails fast (no silent fallback) when libc cannot be bound. */
    static LibC get() {
        return Holder.INSTANCE;
    }

    /** The errno of this thread's last call through the binding. */
    static int errno() {
        return Runtime.getRuntime(Holder.INSTANCE).getLastError();
    }

    /** open(2); the mode is only read with O_CREAT, which the agent never passes. */
    int open(String path, int flags, int mode);

    int close(int fd);

    long read(int fd, @Out byte[] buffer, long count);

    long write(int fd, @In byte[] buffer, long count);

    int flock(int fd, int operation);

    int pipe(@Out int[] fds);

    /** fcntl(2) with an int argument (F_GETFL ignores it, F_SETFL takes the flags). */
    int fcntl(int fd, int command, int argument);

    int tcgetattr(int fd, Pointer termios);

    int tcsetattr(int fd, int optionalActions, Pointer termios);

    void cfmakeraw(Pointer termios);

    int poll(Pointer fds, long nfds, int timeoutMillis);

    /** Lazy holder: the library is loaded on first use, exactly once. */
    final class Holder {
        static final LibC INSTANCE =
                LibraryLoader.create(LibC.class).failImmediately().load("libc.so.6");

        private Holder() {}
    }
}
