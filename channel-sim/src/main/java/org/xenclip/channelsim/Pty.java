package org.xenclip.channelsim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A pseudo-terminal standing in for the guest's hvc console: the slave is the agent's device, the
 * master is held by the simulator for as long as the "VM" runs.
 *
 * <p>The master is non-blocking and owned by the guest I/O thread; {@link #close()} is called
 * only after that thread has ended.
 */
final class Pty implements AutoCloseable {
    /** What {@link #read} and {@link #write} return when the slave has no open descriptor. */
    static final int SLAVE_CLOSED = -1;
    /** What {@link #read} and {@link #write} return when the call would block. */
    static final int WOULD_BLOCK = -2;

    private final int master;
    private final Path slavePath;
    private boolean closed;

    private Pty(int master, Path slavePath) {
        this.master = master;
        this.slavePath = slavePath;
    }

    /**
     * Opens a new pseudo-terminal and gives its slave hvc's cooked settings. The slave is opened
     * once and closed again so that the master reports POLLHUP until the agent opens it: Linux
     * only reports a closed slave after it has been opened once.
     */
    static Pty open() throws IOException {
        Libc.Api c = Libc.api();
        int master = c.posix_openpt(Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (master < 0) {
            throw new IOException(Libc.describe("posix_openpt", "/dev/ptmx", Libc.errno()));
        }
        try {
            if (c.grantpt(master) != 0) {
                throw new IOException(Libc.describe("grantpt", "master " + master, Libc.errno()));
            }
            if (c.unlockpt(master) != 0) {
                throw new IOException(Libc.describe("unlockpt", "master " + master, Libc.errno()));
            }
            byte[] name = new byte[128];
            int rc = c.ptsname_r(master, name, name.length);
            if (rc != 0) {
                throw new IOException(Libc.describe("ptsname_r", "master " + master, rc));
            }
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            Path slavePath = Path.of(new String(name, 0, len, StandardCharsets.UTF_8));
            int slave = c.open(slavePath.toString(), Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC);
            if (slave < 0) {
                throw new IOException(Libc.describe("open", slavePath, Libc.errno()));
            }
            try {
                Termios.hvcDefaults().apply(slave, slavePath);
            } finally {
                c.close(slave);
            }
            return new Pty(master, slavePath);
        } catch (IOException | RuntimeException e) {
            c.close(master);
            throw e;
        }
    }

    Path slavePath() {
        return slavePath;
    }

    int masterFd() {
        return master;
    }

    /**
     * Puts the slave back to hvc's cooked settings, as hvc does when its last descriptor closes.
     * Linux applies termios calls made on a master to its slave, so the slave need not be open.
     */
    void resetToCooked() throws IOException {
        Termios.hvcDefaults().apply(master, slavePath);
    }

    /** Reads what the guest wrote; returns a count, {@link #SLAVE_CLOSED} or {@link #WOULD_BLOCK}. */
    int read(byte[] buf, int max) throws IOException {
        long n = Libc.api().read(master, buf, max);
        return result(n, "read");
    }

    /** Writes toward the guest; returns a count, {@link #SLAVE_CLOSED} or {@link #WOULD_BLOCK}. */
    int write(byte[] buf, int len) throws IOException {
        long n = Libc.api().write(master, buf, len);
        return result(n, "write");
    }

    private int result(long n, String call) throws IOException {
        if (n >= 0) {
            return (int) n;
        }
        int errno = Libc.errno();
        if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
            return WOULD_BLOCK;
        }
        if (errno == Libc.EIO) {
            return SLAVE_CLOSED;
        }
        throw new IOException(Libc.describe(call, "master of " + slavePath, errno));
    }

    /** Closes the master: every open slave descriptor is hung up, like a console that went away. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.api().close(master);
        }
    }
}
