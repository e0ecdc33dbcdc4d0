package org.xenclip.guest.device;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * The few libc calls jnr-posix lacks: termios and poll. Loaded by the versioned name {@code libc.so.6}
 * because users rarely have the unversioned development symlink.
 */
public interface LibC {

    /** Loads the binding once; fails fast (no silent fallback) when libc cannot be bound. */
    static LibC get() {
        return Holder.INSTANCE;
    }

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
