package org.xenclip.channelsim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The guest agent's end for tests and the benchmark: the device opened with open(2) as the real
 * agent does, read and written with poll(2) deadlines. Records the size of every read. Owned by
 * one thread at a time.
 */
final class GuestEnd implements AutoCloseable {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final int fd;
    private final Path path;
    private final PollSet poll = new PollSet(1);
    final List<Integer> readSizes = new ArrayList<>();
    private boolean closed;

    private GuestEnd(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    static GuestEnd open(Path device) throws IOException {
        int fd = Libc.api().open(device.toString(), Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(Libc.describe("open", device, Libc.errno()));
        }
        return new GuestEnd(fd, device);
    }

    Termios termios() throws IOException {
        return Termios.read(fd, path);
    }

    /** What the guest agent does on its descriptor before speaking the protocol. */
    GuestEnd setRaw() throws IOException {
        Termios.read(fd, path).makeRaw().apply(fd, path);
        return this;
    }

    void write(byte[] data) throws IOException {
        write(data, DEFAULT_TIMEOUT);
    }

    void write(byte[] data, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int off = 0;
        while (off < data.length) {
            awaitEvent(Libc.POLLOUT, deadline, "writable");
            byte[] chunk = Arrays.copyOfRange(data, off, data.length);
            long n = Libc.api().write(fd, chunk, chunk.length);
            if (n < 0) {
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw new IOException(Libc.describe("write", path, errno));
                }
            } else {
                off += (int) n;
            }
        }
    }

    /** Reads exactly {@code n} bytes or fails at the deadline. */
    byte[] read(int n) throws IOException {
        return read(n, DEFAULT_TIMEOUT);
    }

    byte[] read(int n, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] out = new byte[n];
        byte[] buf = new byte[65536];
        int got = 0;
        while (got < n) {
            awaitEvent(Libc.POLLIN, deadline, "readable after " + got + " of " + n + " bytes");
            long r = Libc.api().read(fd, buf, Math.min(buf.length, n - got));
            if (r < 0) {
                int errno = Libc.errno();
                if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
                    throw new IOException(Libc.describe("read", path, errno));
                }
            } else if (r == 0) {
                throw new IOException("end of file on " + path + " after " + got + " of " + n + " bytes");
            } else {
                readSizes.add((int) r);
                System.arraycopy(buf, 0, out, got, (int) r);
                got += (int) r;
            }
        }
        return out;
    }

    /** Whether a read would return something right now (no waiting). */
    boolean readableNow() throws IOException {
        return (PollSet.pending(fd, Libc.POLLIN) & Libc.POLLIN) != 0;
    }

    /** Events pending right now, e.g. POLLHUP after the console went away. */
    int pendingEvents() throws IOException {
        return PollSet.pending(fd, Libc.POLLIN);
    }

    private void awaitEvent(short event, long deadline, String what) throws IOException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("timed out waiting for " + path + " to be " + what);
            }
            poll.set(0, fd, event);
            poll.poll(1, (int) Math.max(1, left / 1_000_000));
            int rev = poll.revents(0);
            if ((rev & event) != 0) {
                return;
            }
            if ((rev & (Libc.POLLHUP | Libc.POLLERR | Libc.POLLNVAL)) != 0) {
                throw new IOException(path + " hung up (poll events 0x" + Integer.toHexString(rev) + ")");
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.api().close(fd);
        }
    }
}
