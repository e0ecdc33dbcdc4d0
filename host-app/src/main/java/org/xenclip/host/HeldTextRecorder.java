package org.xenclip.host;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.host.hub.TextHash;
import org.xenclip.host.settings.HeldTexts;
import org.xenclip.protocol.ClipboardText;

/**
 * Keeps {@link HeldTexts} up to date off the path of the text itself. A megabyte's SHA-256 takes about 11 ms
 * under the app's C1-only JIT (encoding included); on the engine thread it would delay writing a VM's text to
 * dom0's clipboard and offering dom0's text to a VM (docs/benchmarks/e2e.md). Hashing and writing happen on
 * one thread of their own, in the order they were asked for, so a VM's record always ends as the last text it
 * was known to hold.
 */
final class HeldTextRecorder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HeldTextRecorder.class.getName());

    private final HeldTexts held;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "held-texts");
        t.setDaemon(true);
        return t;
    });

    // Recorder thread only: one dom0 copy goes to every VM, and is hashed once.
    private ClipboardText lastText;
    private String lastHash;

    HeldTextRecorder(HeldTexts held) {
        this.held = held;
    }

    /** Records, soon, that {@code vm} holds {@code text}: for a text the VM already has. */
    void recordLater(String vm, ClipboardText text) {
        try {
            thread.execute(() -> held.put(vm, hash(text)));
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> vm + ": the app is closing; what it holds is not recorded");
        }
    }

    /**
     * Starts hashing {@code text} now, for a text about to be offered to {@code vm}; the returned action records
     * it and returns once the record is written, after every record asked for before. The connection runs it
     * before answering the VM's request (the record must outlive a kill of this app right after the answer);
     * by then the hash has had the offer's round trip to finish.
     */
    Runnable prepare(String vm, ClipboardText text) {
        try {
            Future<String> hash = thread.submit(() -> hash(text));
            return () -> {
                try {
                    // hash.get() returns at once: the hash was queued on this thread before the record
                    await(
                            thread.submit(() -> {
                                held.put(vm, hash.get());
                                return null;
                            }),
                            vm);
                } catch (RejectedExecutionException e) {
                    LOG.fine(() -> vm + ": the app is closing; what it takes is not recorded");
                }
            };
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> vm + ": the app is closing; what it takes is not recorded");
            return () -> {};
        }
    }

    private String hash(ClipboardText text) {
        if (!text.equals(lastText)) {
            lastHash = TextHash.of(text);
            lastText = text;
        }
        return lastHash;
    }

    private static void await(Future<?> record, String vm) {
        try {
            record.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the connection is closing: the record may still land
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, vm + ": recording what the VM holds failed", e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdown(); // records already asked for are still written
    }
}
