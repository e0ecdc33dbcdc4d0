package org.xenclip.channelsim;

import java.io.IOException;

/**
 * A non-blocking pipe that lets other threads wake the guest I/O thread out of {@code poll(2)}
 * when there is new work (bytes for the guest, room for the guest's bytes, a fault, shutdown).
 */
final class WakePipe implements AutoCloseable {
    private final int readFd;
    private final int writeFd;
    private final byte[] one = {1};
    private final byte[] drain = new byte[64];
    private boolean closed;

    WakePipe() throws IOException {
        int[] fds = new int[2];
        if (Libc.api().pipe2(fds, Libc.O_NONBLOCK | Libc.O_CLOEXEC) != 0) {
            throw new IOException(Libc.describe("pipe2", "wake pipe", Libc.errno()));
        }
        readFd = fds[0];
        writeFd = fds[1];
    }

    int readFd() {
        return readFd;
    }

    /** Wakes the poller; a full pipe already means a pending wake-up, so EAGAIN is fine. */
    synchronized void wake() {
        if (!closed) {
            Libc.api().write(writeFd, one, 1);
        }
    }

    /** Consumes pending wake-ups; called by the polling thread only. */
    void drain() {
        while (Libc.api().read(readFd, drain, drain.length) > 0) {
            // keep reading until EAGAIN
        }
    }

    /** Closes both ends; callers make sure the polling thread has ended first. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.api().close(readFd);
            Libc.api().close(writeFd);
        }
    }
}
