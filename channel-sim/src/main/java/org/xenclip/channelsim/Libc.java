package org.xenclip.channelsim;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the guest side needs (pseudo-terminals, termios, poll, pipes), bound with
 * jnr-ffi. Constants are Linux's generic values (x86_64, aarch64); other ABIs are not supported.
 */
final class Libc {
    // fcntl.h
    static final int O_RDWR = 0x2;
    static final int O_NOCTTY = 0x100;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    // poll.h
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    // errno.h
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;

    // termios.h
    static final int TCSANOW = 0;

    /** The bound functions; public only because jnr-ffi implements it from another class loader. */
    public interface Api {
        int posix_openpt(int flags);

        int grantpt(int fd);

        int unlockpt(int fd);

        int ptsname_r(int fd, @Out byte[] buf, @size_t long buflen);

        int open(String path, int flags);

        int close(int fd);

        @ssize_t
        long read(int fd, @Out byte[] buf, @size_t long count);

        @ssize_t
        long write(int fd, @In byte[] buf, @size_t long count);

        int poll(Pointer fds, @size_t long nfds, int timeout);

        int tcgetattr(int fd, Pointer termios);

        int tcsetattr(int fd, int optionalActions, Pointer termios);

        void cfmakeraw(Pointer termios);

        int pipe2(@Out int[] fds, int flags);

        String strerror(int errnum);
    }

    private static final class Holder {
        // Versioned name: users often lack the unversioned libc.so development symlink.
        static final Api API = LibraryLoader.create(Api.class)
                .option(LibraryOption.SaveError, true)
                .failImmediately()
                .load("libc.so.6");
        static final Runtime RUNTIME = Runtime.getRuntime(API);
    }

    private Libc() {}

    static Api api() {
        return Holder.API;
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    static int errno() {
        return Runtime.getRuntime(Holder.API).getLastError();
    }

    /** A message naming the call, its subject and errno, e.g. {@code "open /dev/pts/3: errno 2 (No such file...)"}. */
    static String describe(String call, Object subject, int errno) {
        return call + " " + subject + ": errno " + errno + " (" + api().strerror(errno) + ")";
    }
}
