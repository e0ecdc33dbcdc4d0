package org.xenclip.guest.device;

import java.nio.file.Path;
import java.util.List;
import jnr.constants.platform.Errno;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Puts an open terminal descriptor into raw mode and proves it took (protocol.md section 1).
 *
 * <p>Applied with TCSANOW, never TCSAFLUSH: a flush would throw away dom0's greeting that may already wait
 * in the ring. The struct layout is glibc's on Linux: four 32-bit flag words, {@code c_line}, then
 * {@code c_cc[32]} from offset 17 (VTIME at index 5, VMIN at 6), then the two speeds.
 */
final class RawTty {

    private static final int TCSANOW = 0;
    /** sizeof(struct termios) is 60 with glibc; a little more in case a libc appends fields. */
    private static final int TERMIOS_BUFFER = 128;

    private static final int OFF_IFLAG = 0;
    private static final int OFF_OFLAG = 4;
    private static final int OFF_CFLAG = 8;
    private static final int OFF_LFLAG = 12;
    private static final int OFF_CC = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;

    private RawTty() {}

    /** The flags before and after, for the log. */
    record Result(TermiosFlags before, TermiosFlags after) {}

    static Result makeRaw(int fd, Path path) throws DeviceException {
        LibC libc = LibC.get();
        Runtime runtime = Runtime.getRuntime(libc);
        Pointer termios = Memory.allocateDirect(runtime, TERMIOS_BUFFER);
        if (libc.tcgetattr(fd, termios) != 0) {
            throw failure(runtime.getLastError(), "tcgetattr", path);
        }
        TermiosFlags before = read(termios);
        libc.cfmakeraw(termios);
        write(termios, read(termios).makeRaw());
        if (libc.tcsetattr(fd, TCSANOW, termios) != 0) {
            throw failure(runtime.getLastError(), "tcsetattr", path);
        }
        TermiosFlags after = current(fd, path);
        List<String> problems = after.rawProblems();
        if (!problems.isEmpty()) {
            throw new DeviceException(
                    DeviceException.Kind.TERMINAL_SETUP_FAILED,
                    path + " did not take raw mode, read back " + after + ": " + String.join("; ", problems));
        }
        return new Result(before, after);
    }

    /** The terminal's current settings. */
    static TermiosFlags current(int fd, Path path) throws DeviceException {
        LibC libc = LibC.get();
        Runtime runtime = Runtime.getRuntime(libc);
        Pointer termios = Memory.allocateDirect(runtime, TERMIOS_BUFFER);
        if (libc.tcgetattr(fd, termios) != 0) {
            throw failure(runtime.getLastError(), "tcgetattr", path);
        }
        return read(termios);
    }

    private static TermiosFlags read(Pointer t) {
        return new TermiosFlags(
                t.getInt(OFF_IFLAG),
                t.getInt(OFF_OFLAG),
                t.getInt(OFF_CFLAG),
                t.getInt(OFF_LFLAG),
                Byte.toUnsignedInt(t.getByte(OFF_CC + VMIN)),
                Byte.toUnsignedInt(t.getByte(OFF_CC + VTIME)));
    }

    private static void write(Pointer t, TermiosFlags f) {
        t.putInt(OFF_IFLAG, f.iflag());
        t.putInt(OFF_OFLAG, f.oflag());
        t.putInt(OFF_CFLAG, f.cflag());
        t.putInt(OFF_LFLAG, f.lflag());
        t.putByte(OFF_CC + VMIN, (byte) f.vmin());
        t.putByte(OFF_CC + VTIME, (byte) f.vtime());
    }

    private static DeviceException failure(int errno, String call, Path path) {
        if (errno == Errno.ENOTTY.intValue() || errno == Errno.EINVAL.intValue()) {
            return new DeviceException(
                    DeviceException.Kind.NOT_A_TTY,
                    path + " is not a terminal (" + call + ": " + ChannelDevice.errnoText(errno)
                            + "): the channel device is a hvc console such as /dev/hvc1; check --device");
        }
        return new DeviceException(
                DeviceException.Kind.TERMINAL_SETUP_FAILED,
                call + " on " + path + " failed: " + ChannelDevice.errnoText(errno));
    }
}
