package org.xenclip.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.XClip;

/**
 * Watches one display's CLIPBOARD throughout a test by reading it over and over with xsel, as a user pasting
 * all the time would, and remembers every value it saw that the test never put in: a partial or mangled text
 * would show up here. Values are kept as sizes and hashes only.
 */
final class ClipboardWatch implements AutoCloseable {

    private final String side;
    private final XClip user;
    private final Set<String> allowed = ConcurrentHashMap.newKeySet();
    private final List<String> unexpected = new ArrayList<>();
    private final AtomicLong samples = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private final java.util.concurrent.locks.ReentrantLock sampling = new java.util.concurrent.locks.ReentrantLock();

    ClipboardWatch(String side, XClip user) {
        this.side = side;
        this.user = user;
        this.thread = new Thread(this::run, "watch-" + side);
        thread.setDaemon(true);
        thread.start();
    }

    /** A text that may legitimately be seen on this side (call before it can appear). */
    void allow(String text) {
        allowed.add(text);
    }

    /**
     * Stops sampling until {@link #resume}, and returns once a sample in flight is over: xsel as the owner of a
     * large text keeps its INCR transfers apart by property name only, so two xsel readers at once (this watch
     * and a test's own read) get each other's chunks, and one ends with a 4000-byte piece. xclip as owner
     * fails the app's large read. Real toolkits do not have these limits; the test tools do.
     */
    @SuppressWarnings("LockNotBeforeTry") // a barrier: nothing runs between the lock and its release
    void pause() {
        paused = true;
        sampling.lock(); // held by the watch thread for the whole of a sample
        sampling.unlock();
    }

    void resume() {
        paused = false;
    }

    long samples() {
        return samples.get();
    }

    /** Values seen that were never allowed, described by size and hash; empty is the only good answer. */
    synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    private void run() {
        while (running) {
            Optional<String> value = Optional.empty();
            boolean sampled = false;
            sampling.lock();
            try {
                if (!paused) {
                    sampled = true;
                    // xsel, not xclip: xclip 0.13 returns a truncated text when it reads a large one (INCR)
                    value = user.getWithXsel(Selection.CLIPBOARD);
                }
            } catch (RuntimeException e) {
                // an owner killed mid-read (the test kills processes on purpose): no value seen
                System.out.println("watch " + side + " " + java.time.Instant.now() + ": " + e.getMessage());
                value = Optional.empty();
            } finally {
                sampling.unlock();
            }
            if (!sampled) {
                LockSupport.parkNanos(20_000_000L);
                continue;
            }
            samples.incrementAndGet();
            if (value.isPresent() && !value.get().isEmpty() && !allowed.contains(value.get())) {
                synchronized (this) {
                    if (unexpected.size() < 20) {
                        unexpected.add(side + ": " + Texts.describe(value.get()));
                    }
                }
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(70_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
