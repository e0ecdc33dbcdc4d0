package org.xenclip.channelsim;

import java.util.function.LongSupplier;

/**
 * Paces one direction to a number of bytes per second, with a burst of one ring's worth, the way
 * a ring refilled once per event-channel round trip limits throughput. Not thread-safe: its owner
 * guards it.
 */
final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long bytesPerSecond;
    private final int burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    /** {@code bytesPerSecond} 0 means unlimited. */
    TokenBucket(long bytesPerSecond, int burst, LongSupplier nanoClock) {
        this.bytesPerSecond = bytesPerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** How long until {@code n} bytes (at most one burst) may go; 0 when they may go now. */
    long nanosUntilAvailable(int n) {
        if (bytesPerSecond == 0) {
            return 0;
        }
        refill();
        double needed = Math.min(n, burst) - tokens;
        if (needed <= 0) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil(needed * NANOS_PER_SECOND / bytesPerSecond));
    }

    void consume(int n) {
        if (bytesPerSecond == 0) {
            return;
        }
        refill();
        tokens -= n;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (double) (now - last) * bytesPerSecond / NANOS_PER_SECOND);
        last = now;
    }
}
