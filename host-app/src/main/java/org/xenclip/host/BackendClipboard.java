package org.xenclip.host;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
     * How long after a read that returned our own last write to read once more: AWT may answer from its own
     * copy before it has processed losing the selection (the guest agent does the same).
     */
    static final long CONFIRM_READ_DELAY_MILLIS = 250;

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "host-clipboard");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private volatile Consumer<Optional<Copied>> onChange;
    /** The text this app last put on the clipboard, to tell a stale answer from a user's copy. */
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
        queueRead(true);
    }

    private void queueRead(boolean mayConfirm) {
        // Events come in bursts (our own writes included); one read after the burst is enough.
        if (readQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                readQueued.set(false);
                try {
                    Optional<ClipboardContent> c = backend.read(TIMEOUT);
                    if (c.isPresent() && c.get().text().equals(lastWritten)) {
                        // Our own write, or AWT answering from its stale copy after a user's copy took the
                        // selection: never a change to report (a stale answer reported after the hub moved on
                        // would send old text to the VMs); look once more a moment later.
                        if (mayConfirm) {
                            var unused = worker.schedule(
                                    () -> queueRead(false), CONFIRM_READ_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                        }
                        return;
                    }
                    onChange.accept(c.map(x -> new Copied(x.text(), x.secret())));
                } catch (ClipboardException e) {
                    LOG.log(Level.FINE, "dom0 clipboard read failed", e);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "dom0 clipboard read failed", e);
                }
            });
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
