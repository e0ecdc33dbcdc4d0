package org.xenclip.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Asserting that something does NOT happen needs a window of observation: the condition is checked all
 * through the window and the test fails at the first moment it breaks. This is an observation, not a
 * synchronisation: nothing the test does next depends on the window having passed.
 */
final class Quiet {

    private Quiet() {}

    static void holdsFor(String what, Duration window, BooleanSupplier condition) {
        holdsFor(what, window, condition, () -> "");
    }

    /** As {@link #holdsFor(String, Duration, BooleanSupplier)}; {@code state} describes what was seen. */
    static void holdsFor(String what, Duration window, BooleanSupplier condition, Supplier<String> state) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("broken while observing: " + what + "; " + state.get());
            }
            LockSupport.parkNanos(20_000_000L);
        } while (System.nanoTime() < end);
    }

    /**
     * Waits (up to {@code deadline}) for a period of {@code window} in which {@code snapshot} does not change:
     * activity that keeps going (a ping-pong) never gives one and fails with the last two snapshots.
     */
    static <T> void settles(String what, Duration window, Duration deadline, Supplier<T> snapshot) {
        long end = System.nanoTime() + deadline.toNanos();
        T start = snapshot.get();
        long windowStart = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(50_000_000L);
            T now = snapshot.get();
            if (!now.equals(start)) {
                start = now;
                windowStart = System.nanoTime();
            } else if (System.nanoTime() - windowStart >= window.toNanos()) {
                return;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("never quiet for " + window.toMillis() + " ms within " + deadline.toMillis()
                        + " ms: " + what + "; last: " + now);
            }
        }
    }
}
