package org.xenclip.host.hub;

import java.util.ArrayDeque;

/** At most {@code count} events within any {@code windowMillis}; a sliding window over the last events. */
final class RateLimiter {

    private final int count;
    private final long windowMillis;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    RateLimiter(int count, long windowMillis) {
        if (count < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("rate limit " + count + " per " + windowMillis + " ms");
        }
        this.count = count;
        this.windowMillis = windowMillis;
    }

    /** Records an event at {@code nowMillis}; false if it is one too many for the window. */
    boolean tryAcquire(long nowMillis) {
        while (!times.isEmpty() && nowMillis - times.peekFirst() >= windowMillis) {
            times.removeFirst();
        }
        if (times.size() >= count) {
            return false;
        }
        times.addLast(nowMillis);
        return true;
    }

    void reset() {
        times.clear();
    }
}
