package org.xenclip.desktop.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: the tests' replacement for sleeping. */
public final class Await {

    private Await() {}

    /** Returns once {@code condition} holds; throws an {@link AssertionError} naming {@code what} at the deadline. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    /** As {@link #until}, with the last observed value in the failure message. */
    public static <T> T value(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<T> ok) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!ok.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "timed out after " + timeout.toMillis() + " ms waiting for " + what + "; last: " + last);
            }
            LockSupport.parkNanos(5_000_000L);
            last = value.get();
        }
        return last;
    }
}
