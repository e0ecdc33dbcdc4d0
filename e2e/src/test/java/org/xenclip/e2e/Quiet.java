package org.xenclip.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Asserting that something does NOT happen needs a window of observation: the condition is checked all
 * through the window and the test fails at the first moment it breaks. This is an observation, not a
 * synchronisation: nothing the test does next depends on the window having passed.
 */
final class Quiet {

    private Quiet() {}

    static void holdsFor(String what, Duration window, BooleanSupplier condition) {
        long end = System.nanoTime() + window.toNanos();
        do {
            if (!condition.getAsBoolean()) {
                throw new AssertionError("broken while observing: " + what);
            }
            LockSupport.parkNanos(20_000_000L);
        } while (System.nanoTime() < end);
    }
}
