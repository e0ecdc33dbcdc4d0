package org.xenclip.guest.device;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * A real pseudo-terminal for tests: the master plays dom0's end of the channel, the slave is the guest's
 * device, left cooked as hvc starts. The test's own slave descriptor is closed, so the agent's open is
 * the only one, as with a real hvc.
 */
public final class TestPty implements AutoCloseable {

    /** openpty lives in libc.so.6 since glibc 2.34. */
    public interface Util {
        int openpty(int[] master, int[] slave, Pointer name, Pointer termios, Pointer winsize);

        int setfsuid(int uid);
    }

    private static final Util UTIL =
            LibraryLoader.create(Util.class).failImmediately().load("libc.so.6");
    private static final POSIX POSIX_ = POSIXFactory.getNativePOSIX();

    private final int master;
    private final Path slave;
    private final int slaveHold;

    private TestPty(int master, Path slave, int slaveHold) {
        this.master = master;
        this.slave = slave;
        this.slaveHold = slaveHold;
    }

    /**
     * Opens a pty. With {@code holdSlave}, the test keeps a slave descriptor open (so the pty survives the
     * agent closing it, as an hvc console does).
     */
    public static TestPty open(boolean holdSlave) {
        int[] m = new int[1];
        int[] s = new int[1];
        Pointer name = Memory.allocateDirect(Runtime.getRuntime(UTIL), 128);
        if (UTIL.openpty(m, s, name, null, null) != 0) {
            throw new IllegalStateException("openpty failed: errno " + POSIX_.errno());
        }
        Path path = Path.of(name.getString(0, 128, StandardCharsets.US_ASCII));
        int hold = -1;
        if (holdSlave) {
            hold = s[0];
        } else {
            POSIX_.close(s[0]);
        }
        return new TestPty(m[0], path, hold);
    }

    /** Makes file permission checks on the calling thread those of uid 65534 (nobody), without root's. */
    public static void asNobodyOnThisThread() {
        UTIL.setfsuid(65534);
    }

    public Path slave() {
        return slave;
    }

    public int masterFd() {
        return master;
    }

    public void write(byte[] data) {
        int off = 0;
        while (off < data.length) {
            byte[] chunk = java.util.Arrays.copyOfRange(data, off, data.length);
            int n = POSIX_.write(master, chunk, chunk.length);
            if (n < 0) {
                throw new IllegalStateException("write to pty master failed: errno " + POSIX_.errno());
            }
            off += n;
        }
    }

    /** Reads from the master until {@code count} bytes arrived or the timeout passed. */
    public byte[] read(int count, Duration timeout) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        Poller poller = new Poller(1);
        byte[] buf = new byte[8192];
        while (out.size() < count) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                break;
            }
            poller.set(0, master, Poller.POLLIN);
            if (poller.await((int) left) > 0 && (poller.ready(0) & Poller.POLLIN) != 0) {
                int n = POSIX_.read(master, buf, Math.min(buf.length, count - out.size()));
                if (n > 0) {
                    out.write(buf, 0, n);
                }
            }
        }
        return out.toByteArray();
    }

    /** Whatever arrives at the master within {@code window} (for "nothing else came" checks). */
    public byte[] drain(Duration window) {
        return read(Integer.MAX_VALUE, window);
    }

    @Override
    public void close() {
        if (slaveHold >= 0) {
            POSIX_.close(slaveHold);
        }
        POSIX_.close(master);
    }
}
