package org.xenclip.host;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Logger;
import org.xenclip.host.hub.TextHash;
import org.xenclip.host.settings.HeldTexts;
import org.xenclip.protocol.ClipboardText;

/**
 * Keeps {@link HeldTexts} up to date off the path of the text itself. A megabyte's SHA-256 takes about 11 ms
 * under the app's C1-only JIT (encoding included); on the engine thread it would delay writing a VM's text to
 * dom0's clipboard (docs/benchmarks/e2e.md). Hashing and writing happen on one thread of their own, in the
 * order they were asked for, so a VM's record always ends as the last text it was known to hold.
 *
 * <p>A record is made only once the VM is known to hold the text: it sent it, or it answered the peek that
 * follows dom0's text (docs/desktop-clipboard.md, "Reconnect"). A record written earlier, when the agent asks
 * for the text, would outlive a kill of this app in the middle of the transfer and stop the restarted app from
 * sending a text the VM never got.
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

    /** Records, soon, that {@code vm} holds {@code text}. */
    void recordLater(String vm, ClipboardText text) {
        try {
            thread.execute(() -> held.put(vm, hash(text)));
        } catch (RejectedExecutionException e) {
            LOG.fine(() -> vm + ": the app is closing; what it holds is not recorded");
        }
    }

    private String hash(ClipboardText text) {
        if (!text.equals(lastText)) {
            lastHash = TextHash.of(text);
            lastText = text;
        }
        return lastHash;
    }

    @Override
    public void close() {
        thread.shutdown(); // records already asked for are still written
    }
}
