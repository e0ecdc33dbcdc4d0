package org.xenclip.guest.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;

/**
 * The open channel device: a descriptor opened with O_NOCTTY and made raw, kept open for the agent's
 * lifetime because hvc resets the terminal to cooked defaults when its last descriptor closes.
 *
 * <p>The descriptor is non-blocking: the I/O loop waits in poll(2), so a peer that stops reading can
 * never wedge the loop in a write while the peer's own writes wait for us to read. Owned by the agent's
 * I/O thread.
 */
public final class ChannelDevice implements AutoCloseable {

    private final LibC libc;
    private final Path path;
    private final int fd;
    private final TermiosFlags before;
    private boolean closed;

    private ChannelDevice(LibC libc, Path path, int fd, TermiosFlags before) {
        this.libc = libc;
        this.path = path;
        this.fd = fd;
        this.before = before;
    }

    /**
     * Opens {@code path} read-write, O_NOCTTY (never our controlling terminal) and O_NONBLOCK (a serial
     * line without CLOCAL could otherwise block the open waiting for carrier), then makes it raw.
     */
    public static ChannelDevice open(Path path) throws DeviceException {
        LibC libc = libc();
        int flags = OpenFlags.O_RDWR.intValue()
                | OpenFlags.O_NOCTTY.intValue()
                | OpenFlags.O_NONBLOCK.intValue()
                | OpenFlags.O_CLOEXEC.intValue();
        int fd = libc.open(path.toString(), flags, 0);
        if (fd < 0) {
            throw openFailure(LibC.errno(), path);
        }
        try {
            lockExclusive(libc, fd, path);
            RawTty.Result raw = RawTty.makeRaw(fd, path);
            return new ChannelDevice(libc, path, fd, raw.before());
        } catch (DeviceException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    /**
     * Two agents on one channel would each get half of dom0's bytes: the second one (a unit and an autostart
     * entry both enabled, say) must stop with a clear message. An advisory lock held as long as the
     * descriptor is open says "taken".
     */
    private static void lockExclusive(LibC libc, int fd, Path path) throws DeviceException {
        final int lockEx = 2;
        final int lockNb = 4;
        if (libc.flock(fd, lockEx | lockNb) != 0) {
            int errno = LibC.errno();
            if (errno == Errno.EWOULDBLOCK.intValue() || errno == Errno.EAGAIN.intValue()) {
                throw new DeviceException(
                        DeviceException.Kind.BUSY,
                        "another xenclip-guest already holds " + path + " (only one agent may use the channel)");
            }
            // a device without lock support is no reason to stop
        }
    }

    /**
     * libc bound through jnr-ffi, or a clear failure: without native calls there is no O_NOCTTY and no raw mode.
     * Not jnr-posix: binding its whole libc interface cost more than the agent's start-up budget (see
     * {@link LibC}).
     */
    static LibC libc() throws DeviceException {
        try {
            return LibC.get();
        } catch (LinkageError | RuntimeException e) {
            throw new DeviceException(
                    DeviceException.Kind.NATIVE_UNAVAILABLE, "cannot load native libc.so.6 through jnr-ffi: " + e, e);
        }
    }

    public Path path() {
        return path;
    }

    public int fd() {
        return fd;
    }

    /** The settings the device had before the agent made it raw (for the log). */
    public String settingsBefore() {
        return before.toString();
    }

    /** The settings now, read back from the descriptor. */
    public String settingsNow() throws DeviceException {
        return RawTty.current(fd, path).toString();
    }

    /**
     * Reads what is there without blocking.
     *
     * @return the byte count, 0 when nothing is available, -1 on hang-up (end of file or EIO: the far side
     *     of the terminal went away)
     * @throws IOException on any other error, naming the errno
     */
    public int read(byte[] buffer) throws IOException {
        int n = (int) libc.read(fd, buffer, buffer.length);
        if (n > 0) {
            return n;
        }
        if (n == 0) {
            return -1;
        }
        int errno = LibC.errno();
        if (errno == Errno.EAGAIN.intValue() || errno == Errno.EINTR.intValue()) {
            return 0;
        }
        if (errno == Errno.EIO.intValue()) {
            return -1;
        }
        throw new IOException("read from " + path + " failed: " + errnoText(errno));
    }

    /**
     * Writes what the device takes now without blocking.
     *
     * @return the byte count written, 0 when the device cannot take more yet, -1 on hang-up (EIO: the far
     *     side of the terminal went away)
     */
    public int write(byte[] buffer, int offset, int length) throws IOException {
        byte[] chunk = buffer;
        if (offset != 0) {
            chunk = new byte[length];
            System.arraycopy(buffer, offset, chunk, 0, length);
        }
        int n = (int) libc.write(fd, chunk, length);
        if (n >= 0) {
            return n;
        }
        int errno = LibC.errno();
        if (errno == Errno.EAGAIN.intValue() || errno == Errno.EINTR.intValue()) {
            return 0;
        }
        if (errno == Errno.EIO.intValue()) {
            return -1;
        }
        throw new IOException("write to " + path + " failed: " + errnoText(errno));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            libc.close(fd);
        }
    }

    /** "ENOENT: No such file or directory": the symbol to search for and the text to read. */
    static String errnoText(int errno) {
        Errno e = Errno.valueOf(errno);
        return e == Errno.__UNKNOWN_CONSTANT__ ? "errno " + errno : e.name() + ": " + e;
    }

    private static DeviceException openFailure(int errno, Path path) {
        Errno e = Errno.valueOf(errno);
        if (e == Errno.ENOENT || e == Errno.ENXIO || e == Errno.ENODEV) {
            return new DeviceException(
                    DeviceException.Kind.NO_SUCH_DEVICE,
                    "no such device: " + path + " (" + errnoText(errno) + "): is the VM configured with the channel "
                            + DeviceLocator.CHANNEL_NAME + "?");
        }
        if (e == Errno.EACCES || e == Errno.EPERM) {
            return new DeviceException(
                    DeviceException.Kind.PERMISSION_DENIED,
                    "permission denied opening " + path + " (" + describeOwner(path) + "): install the udev rule "
                            + "90-xenclip-channel.rules so the logged-in user gets access (uaccess), then log in "
                            + "again or run 'udevadm trigger'");
        }
        if (e == Errno.ENOTTY) {
            return new DeviceException(
                    DeviceException.Kind.NOT_A_TTY, path + " is not a terminal (" + errnoText(errno) + ")");
        }
        return new DeviceException(
                DeviceException.Kind.NO_SUCH_DEVICE, "cannot open " + path + ": " + errnoText(errno));
    }

    private static String describeOwner(Path path) {
        try {
            PosixFileAttributes a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Path real = path.toRealPath();
            if (!real.equals(path)) {
                a = Files.readAttributes(real, PosixFileAttributes.class);
            }
            return real + " is " + a.owner().getName() + ":" + a.group().getName() + " "
                    + PosixFilePermissions.toString(a.permissions()) + ", we are "
                    + System.getProperty("user.name");
        } catch (IOException | UnsupportedOperationException | SecurityException ex) {
            return "owner unknown: " + ex.getMessage();
        }
    }
}
