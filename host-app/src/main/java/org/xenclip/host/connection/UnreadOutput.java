package org.xenclip.host.connection;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.LibraryLoader;
import jnr.ffi.byref.IntByReference;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * How many bytes dom0 wrote to a VM's socket that the other end has not read yet: Linux's {@code
 * ioctl(SIOCOUTQ)} on a Unix stream socket. A successful write only means the kernel took the bytes; its
 * socket buffer holds a few hundred KiB, so a VM that never reads swallows many small texts without dom0 ever
 * seeing a write fail. Only a falling count shows the VM read something.
 */
final class UnreadOutput {

    private static final Logger LOG = Logger.getLogger(UnreadOutput.class.getName());

    /** {@code SIOCOUTQ}, equal to {@code TIOCOUTQ} on Linux ({@code asm-generic/ioctls.h}). */
    private static final long SIOCOUTQ = 0x5411;

    /** libc's ioctl with an int out-parameter, the form SIOCOUTQ takes. */
    public interface LibC {
        int ioctl(int fd, long request, IntByReference out);
    }

    private static final LibC LIBC = load();

    private static LibC load() {
        try {
            return LibraryLoader.create(LibC.class).load("libc.so.6");
        } catch (RuntimeException | LinkageError e) {
            LOG.log(
                    Level.WARNING,
                    "cannot load libc.so.6: a VM that stops reading is seen only once the" + " socket buffer is full",
                    e);
            return null;
        }
    }

    /** Whether {@link #of} can answer; when not, writes that succeed are taken as progress. */
    static boolean available() {
        return LIBC != null;
    }

    /** The channel's native descriptor, or -1 when junixsocket cannot tell it. */
    static int descriptor(AFUNIXSocketChannel ch) {
        if (LIBC == null) {
            return -1;
        }
        try {
            Integer fd = FileDescriptorCast.using(ch.getFileDescriptor()).as(Integer.class);
            return fd == null ? -1 : fd;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "no native descriptor for " + ch, e);
            return -1;
        }
    }

    /** Unread bytes on {@code fd} (as the kernel accounts them), or -1 when it cannot be asked. */
    static long of(int fd) {
        if (LIBC == null || fd < 0) {
            return -1;
        }
        IntByReference out = new IntByReference();
        return LIBC.ioctl(fd, SIOCOUTQ, out) == 0 ? out.intValue() : -1;
    }

    private UnreadOutput() {}
}
