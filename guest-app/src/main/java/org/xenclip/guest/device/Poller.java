package org.xenclip.guest.device;

import jnr.constants.platform.Errno;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * poll(2) over a fixed set of descriptors, reusing one native {@code struct pollfd} array. Not thread-safe:
 * owned by the loop that waits in it.
 */
public final class Poller {

    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    /** struct pollfd { int fd; short events; short revents; } */
    private static final int POLLFD_SIZE = 8;

    private final LibC libc = LibC.get();
    private final Runtime runtime = Runtime.getRuntime(libc);
    private final int count;
    private final Pointer fds;

    public Poller(int count) {
        this.count = count;
        this.fds = Memory.allocateDirect(runtime, count * POLLFD_SIZE);
    }

    /** Sets what to wait for on slot {@code i}; {@code fd} -1 makes poll ignore the slot. */
    public void set(int i, int fd, short events) {
        fds.putInt((long) i * POLLFD_SIZE, fd);
        fds.putShort((long) i * POLLFD_SIZE + 4, events);
        fds.putShort((long) i * POLLFD_SIZE + 6, (short) 0);
    }

    /**
     * Waits until a descriptor is ready or {@code timeoutMillis} passed (-1: no limit).
     *
     * @return the number of ready slots, 0 on timeout or EINTR
     */
    public int await(int timeoutMillis) {
        int n = libc.poll(fds, count, timeoutMillis);
        if (n < 0) {
            int errno = runtime.getLastError();
            if (errno == Errno.EINTR.intValue()) {
                return 0;
            }
            throw new IllegalStateException("poll failed: " + ChannelDevice.errnoText(errno));
        }
        return n;
    }

    /** The events that happened on slot {@code i} in the last {@link #await}. */
    public short ready(int i) {
        return fds.getShort((long) i * POLLFD_SIZE + 6);
    }
}
