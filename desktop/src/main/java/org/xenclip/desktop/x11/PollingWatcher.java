package org.xenclip.desktop.x11;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.ClipboardListener;

/**
 * The fallback where XFixes is missing: reads the selection on a {@code clipboard-events} thread and reports
 * when its text changed. The interval starts short after a change (a person copying often copies again soon)
 * and doubles while nothing changes, so an idle desktop costs a read every few seconds.
 */
final class PollingWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PollingWatcher.class.getName());

    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofSeconds(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final ClipboardBackend backend;
    private final ClipboardListener listener;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stop = lock.newCondition();
    private boolean closing;
    /** The text seen by the latest poll; written by the constructor, then only by the polling thread. */
    private Object last;

    private PollingWatcher(ClipboardBackend backend, ClipboardListener listener) {
        this.backend = backend;
        this.listener = listener;
        // The baseline is read before watch() returns, so a change made right after it is reported; taken on
        // the polling thread instead, it could already include that change and hide it.
        this.last = snapshot();
        this.thread = new Thread(this::run, "clipboard-events");
        thread.setDaemon(true);
    }

    static PollingWatcher start(ClipboardBackend backend, ClipboardListener listener) {
        PollingWatcher watcher = new PollingWatcher(backend, listener);
        watcher.thread.start();
        return watcher;
    }

    /** The next interval: back to the minimum after a change, else doubled up to the maximum. */
    static Duration next(Duration current, boolean changed) {
        if (changed) {
            return MIN_INTERVAL;
        }
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : doubled;
    }

    private void run() {
        Duration interval = MIN_INTERVAL;
        while (await(interval)) {
            Object now = snapshot();
            boolean changed = !now.equals(last);
            last = now;
            if (changed) {
                try {
                    listener.selectionChanged();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "clipboard listener failed", e);
                }
            }
            interval = next(interval, changed);
        }
    }

    /** What is compared between polls; a failed read counts as "unknown", not as a change to report. */
    private Object snapshot() {
        try {
            Optional<ClipboardContent> content = backend.read(READ_TIMEOUT);
            return content.isPresent() ? content.get() : "empty";
        } catch (ClipboardException e) {
            return "unreadable";
        }
    }

    /** Waits one interval; false once closed. */
    private boolean await(Duration interval) {
        lock.lock();
        try {
            long nanos = interval.toNanos();
            while (!closing && nanos > 0) {
                nanos = stop.awaitNanos(nanos);
            }
            return !closing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            stop.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
