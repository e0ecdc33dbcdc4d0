package org.xenclip.guest.sync;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Turns a burst of change events into few actions: the action runs once the events have been quiet for
 * {@code quiet}, and at the latest {@code maxDelay} after the burst's first event (a clipboard manager that
 * re-asserts the selection forever must not starve the sync). Selecting text with the mouse, or an app that
 * sets several targets in turn, fires many events for one copy.
 *
 * <p>A {@linkplain #leading leading} debouncer also runs the action at once on an event that comes at least
 * {@code quiet} after the one before it, so a single copy is acted on without waiting; the events that follow it
 * closely collapse into one more run once they calm down, as above.
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
     * Events of one copy arrive within a few milliseconds of each other (a program setting the selection
     * twice, a mouse selection growing at the pointer's event rate of 8-16 ms), and a person does not copy twice
     * within 20 ms: that much quiet ends a burst, and for a leading debouncer an event that much after the last
     * one starts a new copy.
     */
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(20);

    /** The longest a copy waits behind a stream of events. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(500);

    private final Duration quiet;
    private final Duration maxDelay;
    private final Scheduler scheduler;
    private final Runnable action;
    private final boolean leading;

    private long firstEvent;
    private boolean anyEvent;
    /** Whether the pending run is a leading one, due at once. */
    private boolean immediate;

    private long lastEvent;
    private Cancellable pending;
    private boolean closed;

    public Debouncer(Duration quiet, Duration maxDelay, Scheduler scheduler, Runnable action) {
        this(quiet, maxDelay, scheduler, action, false);
    }

    private Debouncer(Duration quiet, Duration maxDelay, Scheduler scheduler, Runnable action, boolean leading) {
        if (quiet.isNegative() || maxDelay.compareTo(quiet) < 0) {
            throw new IllegalArgumentException(
                    "quiet " + quiet + " must be >= 0 and maxDelay " + maxDelay + " >= quiet");
        }
        this.quiet = quiet;
        this.maxDelay = maxDelay;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.action = Objects.requireNonNull(action, "action");
        this.leading = leading;
    }

    /** A debouncer that runs the action at once on the first event after calm (see the class comment). */
    public static Debouncer leading(Duration quiet, Duration maxDelay, Scheduler scheduler, Runnable action) {
        return new Debouncer(quiet, maxDelay, scheduler, action, true);
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
        boolean calm = !anyEvent || now - lastEvent >= quiet.toNanos();
        anyEvent = true;
        lastEvent = now;
        if (pending == null) {
            firstEvent = now;
            immediate = leading && calm;
            pending = scheduler.schedule(immediate ? Duration.ZERO : quiet, this::fire);
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
            if (!immediate && quietLeft > 0 && maxLeft > 0) {
                pending = scheduler.schedule(Duration.ofNanos(Math.min(quietLeft, maxLeft)), this::fire);
                return;
            }
            pending = null;
            immediate = false;
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
