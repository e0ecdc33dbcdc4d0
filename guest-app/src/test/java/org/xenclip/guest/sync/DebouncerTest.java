package org.xenclip.guest.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DebouncerTest {

    /** A scheduler whose clock only moves when the test says so. */
    static final class ManualScheduler implements Debouncer.Scheduler {
        private long now;
        private final List<Task> tasks = new ArrayList<>();

        private static final class Task {
            final long due;
            final Runnable run;
            boolean cancelled;

            Task(long due, Runnable run) {
                this.due = due;
                this.run = run;
            }
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public Debouncer.Cancellable schedule(Duration delay, Runnable run) {
            Task task = new Task(now + delay.toNanos(), run);
            tasks.add(task);
            return () -> task.cancelled = true;
        }

        void advance(Duration by) {
            long end = now + by.toNanos();
            while (true) {
                Task next = tasks.stream()
                        .filter(t -> t.due <= end)
                        .min(Comparator.comparingLong(t -> t.due))
                        .orElse(null);
                if (next == null) {
                    break;
                }
                tasks.remove(next);
                now = next.due;
                if (!next.cancelled) {
                    next.run.run();
                }
            }
            now = end;
        }

        long live() {
            return tasks.stream().filter(t -> !t.cancelled).count();
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger runs = new AtomicInteger();
    private final Debouncer debouncer =
            new Debouncer(Duration.ofMillis(50), Duration.ofMillis(500), scheduler, runs::incrementAndGet);

    @Test
    void oneEventRunsOnceAfterTheQuietTime() {
        debouncer.event();
        scheduler.advance(Duration.ofMillis(49));
        assertThat(runs).hasValue(0);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(runs).hasValue(1);
    }

    @Test
    void aBurstRunsOnceAfterItEnds() {
        for (int i = 0; i < 10; i++) {
            debouncer.event();
            scheduler.advance(Duration.ofMillis(20));
        }
        assertThat(runs).hasValue(0);
        scheduler.advance(Duration.ofMillis(30));
        assertThat(runs).hasValue(1);
    }

    @Test
    void anEndlessBurstStillRunsByTheMaximumDelay() {
        for (int i = 0; i < 100; i++) {
            debouncer.event();
            scheduler.advance(Duration.ofMillis(10));
        }
        // 1000 ms of events every 10 ms: runs at 500 and 1000 ms
        assertThat(runs).hasValue(2);
    }

    @Test
    void eventsAfterARunStartANewBurst() {
        debouncer.event();
        scheduler.advance(Duration.ofMillis(60));
        debouncer.event();
        scheduler.advance(Duration.ofMillis(60));
        assertThat(runs).hasValue(2);
    }

    @Test
    void closeCancelsThePendingRunAndIgnoresLaterEvents() {
        debouncer.event();
        debouncer.close();
        assertThat(scheduler.live()).isZero();
        debouncer.event();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(runs).hasValue(0);
    }

    @Test
    void rejectsAMaximumBelowTheQuietTime() {
        assertThatThrownBy(() -> new Debouncer(Duration.ofMillis(10), Duration.ofMillis(5), scheduler, () -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quiet PT0.01S must be >= 0 and maxDelay PT0.005S >= quiet");
    }

    @Test
    void leadingRunsAtOnceThenOnceMoreAfterTheBurst() {
        Debouncer lead =
                Debouncer.leading(Duration.ofMillis(50), Duration.ofMillis(500), scheduler, runs::incrementAndGet);
        lead.event();
        scheduler.advance(Duration.ZERO);
        assertThat(runs).hasValue(1); // the copy is acted on without waiting
        for (int i = 0; i < 5; i++) {
            scheduler.advance(Duration.ofMillis(10));
            lead.event();
        }
        assertThat(runs).hasValue(1);
        scheduler.advance(Duration.ofMillis(49));
        assertThat(runs).hasValue(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(2); // the burst after it, once, when calm
        scheduler.advance(Duration.ofMillis(50));
        lead.event();
        scheduler.advance(Duration.ZERO);
        assertThat(runs).hasValue(3); // calm again: the next copy runs at once too
        assertThat(scheduler.live()).isZero();
    }

    @Test
    void leadingWaitsForAnEventCloseToTheOneBefore() {
        Debouncer lead =
                Debouncer.leading(Duration.ofMillis(50), Duration.ofMillis(500), scheduler, runs::incrementAndGet);
        lead.event();
        scheduler.advance(Duration.ofMillis(20));
        assertThat(runs).hasValue(1);
        lead.event(); // 20 ms after the first: part of the same burst
        scheduler.advance(Duration.ofMillis(49));
        assertThat(runs).hasValue(1);
        scheduler.advance(Duration.ofMillis(1));
        assertThat(runs).hasValue(2);
    }
}
