package org.xenclip.channelsim;

import java.io.IOException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/** An array of {@code struct pollfd} in native memory, owned by the one thread that polls it. */
final class PollSet {
    private static final int ENTRY = 8; // int fd; short events; short revents

    private final Pointer memory;
    private final int size;

    PollSet(int size) {
        this.size = size;
        this.memory = Memory.allocateDirect(Libc.runtime(), (long) size * ENTRY, true);
    }

    void set(int index, int fd, short events) {
        long base = (long) index * ENTRY;
        memory.putInt(base, fd);
        memory.putShort(base + 4, events);
        memory.putShort(base + 6, (short) 0);
    }

    int revents(int index) {
        return memory.getShort((long) index * ENTRY + 6) & 0xffff;
    }

    /**
     * Polls the first {@code count} entries; EINTR counts as a wake-up with no events.
     *
     * @return the number of entries with events
     */
    int poll(int count, int timeoutMillis) throws IOException {
        if (count > size) {
            throw new IllegalArgumentException("poll count " + count + " exceeds set size " + size);
        }
        int n = Libc.api().poll(memory, count, timeoutMillis);
        if (n < 0) {
            int errno = Libc.errno();
            if (errno == Libc.EINTR) {
                for (int i = 0; i < count; i++) {
                    memory.putShort((long) i * ENTRY + 6, (short) 0);
                }
                return 0;
            }
            throw new IOException(Libc.describe("poll", count + " descriptors", errno));
        }
        return n;
    }

    /** The events pending on one descriptor right now, without waiting. */
    static int pending(int fd, short events) throws IOException {
        PollSet one = new PollSet(1);
        one.set(0, fd, events);
        one.poll(1, 0);
        return one.revents(0);
    }
}
