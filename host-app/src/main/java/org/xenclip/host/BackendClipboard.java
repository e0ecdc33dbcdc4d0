package org.xenclip.host;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    /**
     * How long the selection's owner may stay silent before the read fails (the X11 backend: per answer and
     * per INCR chunk, so a large text read from a slow owner is not cut off; Wayland: the whole read). The same
     * as the guest agent's.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ClipboardBackend backend;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "host-clipboard");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean readQueued = new AtomicBoolean();
    private volatile Consumer<Optional<Copied>> onChange;

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
        // Events come in bursts (a program may take the selection several times for one copy): one read per burst.
        if (readQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                readQueued.set(false);
                read();
            });
        }
    }

    /**
     * One read per (burst of) change events: the backend answers with the current owner's text, never with our
     * own last write once another program owns the selection.
     */
    private void read() {
        try {
            Optional<ClipboardContent> c = backend.read(TIMEOUT);
            onChange.accept(c.map(x -> new Copied(x.text(), x.secret())));
        } catch (ClipboardException e) {
            // the user's copy does not reach the VMs: say so where the user looks
            LOG.warning(() -> "reading the dom0 clipboard failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dom0 clipboard read failed", e);
        }
    }

    @Override
    public void write(String text) {
        worker.execute(() -> {
            try {
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
