package org.xenclip.channelsim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Totals that survive reboots; written by the simulator's threads, read by anyone. */
final class Counters {
    final AtomicLong bytesToGuest = new AtomicLong();
    final AtomicLong bytesToDom0 = new AtomicLong();
    final AtomicInteger largestChunkToGuest = new AtomicInteger();
    final AtomicInteger largestChunkToDom0 = new AtomicInteger();
    final AtomicLong droppedToDom0 = new AtomicLong();
    final AtomicLong clientsAccepted = new AtomicLong();
    final AtomicInteger boots = new AtomicInteger();

    void delivered(Direction direction, int n) {
        if (direction == Direction.TO_GUEST) {
            bytesToGuest.addAndGet(n);
            largestChunkToGuest.accumulateAndGet(n, Math::max);
        } else {
            bytesToDom0.addAndGet(n);
            largestChunkToDom0.accumulateAndGet(n, Math::max);
        }
    }
}
