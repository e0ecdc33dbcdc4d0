package org.xenclip.host;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;

/** {@link LocalClipboard} over the desktop module's backend, with reads and writes on {@code host-clipboard}. */
final class BackendClipboard implements LocalClipboard {

    private static final Logger LOG = Logger.getLogger(BackendClipboard.class.getName());
    /** A selection owner that does not answer within this long is treated as having no text. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ClipboardBackend backend;
    /**
     * Re-reads after a change event that showed our own last write: AWT answers from its local copy until it
     * has processed the SelectionClear that the XFixes event (on another connection) already announced, so
     * the new owner's text may only be readable a moment later.
     */
    static final long[] STALE_REREAD_MILLIS = {30, 100, 300, 1000};

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "host-clipboard");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private volatile Consumer<Optional<Copied>> onChange;
    private volatile String lastWritten;

    BackendClipboard(ClipboardBackend backend) {
        this.backend = backend;
    }

    @Override
    public void start(Consumer<Optional<Copied>> onChange) {
        this.onChange = onChange;
        backend.watch(this::queueRead);
        queueRead();
    }

    private void queueRead() {
        // Events come in bursts (our own writes included); one read after the burst is enough.
        if (readQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                readQueued.set(false);
                read(0);
            });
        }
    }

    private void read(int attempt) {
        try {
            Optional<ClipboardContent> c = backend.read(TIMEOUT);
            String own = lastWritten;
            if (own != null && c.isPresent() && c.get().text().equals(own)) {
                // Our own write, or a stale answer: not a change. Reported, a stale answer arriving after the
                // hub moved on (a VM's newer text) looked like a new dom0 copy and sent old text to the VMs
                // (e2e WholePathBenchmark: more texts applied in the guest than dom0 copies, copies lost).
                if (attempt < STALE_REREAD_MILLIS.length && !readQueued.get()) {
                    ScheduledFuture<?> unused =
                            worker.schedule(() -> read(attempt + 1), STALE_REREAD_MILLIS[attempt], TimeUnit.MILLISECONDS);
                }
                return;
            }
            onChange.accept(c.map(x -> new Copied(x.text(), x.secret())));
        } catch (ClipboardException e) {
            LOG.log(Level.FINE, "dom0 clipboard read failed", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dom0 clipboard read failed", e);
        }
    }

    @Override
    public void write(String text) {
        worker.execute(() -> {
            try {
                lastWritten = text;
                backend.write(text, TIMEOUT);
            } catch (ClipboardException | RuntimeException e) {
                LOG.log(Level.WARNING, "writing " + text.length() + " chars to the dom0 clipboard failed", e);
            }
        });
    }

    @Override
    public void close() {
        worker.shutdownNow();
        backend.close();
    }
}
