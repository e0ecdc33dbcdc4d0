package org.xenclip.desktop.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a burst of change events into one action: the action runs once the events have been quiet for
 * {@code quiet}, and at the latest {@code maxDelay} after the burst's first event (a clipboard manager that
 * re-asserts the selection forever must not starve the sync). Selecting text with the mouse, or an app that
 * sets several targets in turn, fires many events for one copy.
 *
 * <p>Time and scheduling come from a {@link Scheduler} so tests drive it without sleeping. Thread-safe: events
 * may come from any thread; the action runs on the scheduler's thread.
 */
public final class Debouncer implements AutoCloseable {

    /** Schedules delayed tasks and tells the time; {@link #of} adapts a ScheduledExecutorService. */
    public interface Scheduler {
        long nanoTime();

        /** Runs {@code task} after {@code delay}; the returned handle cancels it. */
        Cancellable schedule(Duration delay, Runnable task);
    }

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    public interface Cancellable {
        void cancel();
    }

    /**
     * Events of one copy arrive within a few milliseconds of each other; 50 ms of quiet ends a burst while
     * keeping copy-to-wire latency well below what a person notices.
     */
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(50);

    /** The longest a copy waits behind a stream of events. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(500);

    private final Duration quiet;
    private final Duration maxDelay;
    private final Scheduler scheduler;
    private final Runnable action;

    private long firstEvent;
    private long lastEvent;
    private Cancellable pending;
    private boolean closed;

    public Debouncer(Duration quiet, Duration maxDelay, Scheduler scheduler, Runnable action) {
        if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException(
                    "quiet " + quiet + " must be >= 0 and maxDelay " + maxDelay + " >= quiet");
        }
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.action = Objects.requireNonNull(action, "action");
    }

    /** A scheduler on {@code executor} with {@link System#nanoTime()}. */
    public static Scheduler of(ScheduledExecutorService executor) {
        return new Scheduler() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            }
        };
    }

    /** One change event. */
    public synchronized void event() {
        if (closed) {
            return;
        }
        long now = scheduler.nanoTime();
        lastEvent = now;
        if (pending == null) {
            firstEvent = now;
            pending = scheduler.schedule(quiet, this::fire);
        }
    }

    private void fire() {
        synchronized (this) {
            if (closed || pending == null) {
                return;
            }
            long now = scheduler.nanoTime();
            long quietLeft = lastEvent + quiet.toNanos() - now;
            long maxLeft = firstEvent + maxDelay.toNanos() - now;
            if (quietLeft > 0 && maxLeft > 0) {
                pending = scheduler.schedule(Duration.ofNanos(Math.min(quietLeft, maxLeft)), this::fire);
                return;
            }
            pending = null;
        }
        action.run();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }
}
