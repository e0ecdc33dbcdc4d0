package org.xenclip.guest.agent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.sync.ClipboardSync;
import org.xenclip.desktop.sync.Debouncer;
import org.xenclip.guest.device.AtNoiseDetector;
import org.xenclip.guest.device.ChannelDevice;
import org.xenclip.guest.device.Poller;
import org.xenclip.protocol.ClientSession;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * The guest agent: syncs the desktop clipboard(s) with dom0 over the channel device.
 *
 * <p>The {@code agent-io} thread owns the device, the session and the sync rules: it waits in poll(2) on the
 * device and a wake-up pipe, with a timeout equal to the session's next deadline, so timers run on time and
 * an idle agent uses no CPU. Desktop changes reach it through a queue; text from dom0 leaves it through the
 * {@code agent-clipboard} executor. Nothing the peer sends makes the agent exit: protocol errors are logged
 * and the session starts over by the protocol's own rules.
 */
public final class GuestAgent implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GuestAgent.class.getName());

    /** One read's worth; the dom0->guest ring is 1 KiB (protocol.md section 1), so this is plenty. */
    private static final int READ_BUFFER = 16 * 1024;
    /** Bytes offered to one write(2); the guest->dom0 ring is 2 KiB, larger writes only return short. */
    private static final int WRITE_CHUNK = 4096;
    /** After a hang-up (no peer on the far side of a pty), look again this often instead of spinning. */
    private static final int HANGUP_RETRY_MILLIS = 500;
    /** How long after a change event that read back our own text to look once more (see readChange). */
    private static final long CONFIRM_READ_DELAY_MILLIS = 250;

    private final ChannelDevice device;
    private final ClientSession session;
    private final List<ClipboardBackend> clipboards;
    private final AgentConfig config;
    private final LongSupplier clock;
    private final POSIX posix;
    private final int[] wakePipe = {-1, -1};

    private final ConcurrentLinkedQueue<ClipboardContent> localChanges = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clipboardWorker;
    private final List<Debouncer> debouncers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch watching = new CountDownLatch(1);
    /** The text the agent last put on the desktop, to tell its own change events from the user's. */
    private volatile String lastWritten;

    private volatile boolean established;
    private Thread ioThread;

    // owned by agent-io (sync is created in start(), before agent-io starts)
    private ClipboardSync sync;
    private final ArrayDeque<byte[]> output = new ArrayDeque<>();
    private int outputOffset;
    private final AtNoiseDetector atNoise = new AtNoiseDetector();
    private boolean atNoiseReported;
    private long hungUpUntil;
    private boolean hangupReported;

    public GuestAgent(ChannelDevice device, List<ClipboardBackend> clipboards, AgentConfig config) {
        this(device, new ClientSession(config.sessionConfig()), clipboards, config, GuestAgent::monotonicMillis);
    }

    GuestAgent(
            ChannelDevice device,
            ClientSession session,
            List<ClipboardBackend> clipboards,
            AgentConfig config,
            LongSupplier clock) {
        this.device = Objects.requireNonNull(device, "device");
        this.session = Objects.requireNonNull(session, "session");
        if (clipboards.isEmpty()) {
            throw new IllegalArgumentException("at least one clipboard backend is needed");
        }
        this.clipboards = List.copyOf(clipboards);
        this.config = config;
        this.clock = clock;
        this.posix = POSIXFactory.getNativePOSIX();
        this.clipboardWorker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-clipboard"));
    }

    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /**
     * Reads the clipboard once as the baseline, registers the change watchers and starts the {@code agent-io}
     * thread; returns once the loop runs.
     */
    public void start() throws IOException, InterruptedException {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("agent already started");
        }
        if (posix.pipe(wakePipe) != 0) {
            throw new IOException("pipe failed: errno " + posix.errno());
        }
        for (int fd : wakePipe) {
            int flags = posix.fcntl(fd, Fcntl.F_GETFL);
            posix.fcntlInt(fd, Fcntl.F_SETFL, flags | OpenFlags.O_NONBLOCK.intValue());
        }
        // The baseline comes before the watchers, so no change can be mistaken for it; the watchers come
        // before the loop, so no change can slip between the two.
        sync = new ClipboardSync(ClipboardSync.Role.GUEST, config.syncConfig(), System::nanoTime, readBaseline());
        for (ClipboardBackend clipboard : clipboards) {
            Debouncer debouncer = new Debouncer(
                    Debouncer.DEFAULT_QUIET,
                    Debouncer.DEFAULT_MAX_DELAY,
                    Debouncer.of(clipboardWorker),
                    () -> readChange(clipboard, true));
            debouncers.add(debouncer);
            clipboard.watch(() -> {
                LOG.finest(() -> clipboard.name() + " changed");
                debouncer.event();
            });
        }
        ioThread = daemon(this::loop, "agent-io");
        ioThread.start();
        watching.await();
    }

    /** Whether the session with dom0 is established (for tests and status). */
    public boolean isEstablished() {
        return established;
    }

    /** Blocks until the agent stops (never, unless {@link #close} is called or the loop fails). */
    public void join() throws InterruptedException {
        ioThread.join();
    }

    /**
     * The clipboard as found at start: it does not count as a change, so starting the agent never pushes an
     * older guest text over what dom0 copied meanwhile (ClipboardSync's reconnect rule).
     */
    private ClipboardText readBaseline() {
        ClipboardBackend first = clipboards.get(0);
        try {
            return first.read(config.clipboardTimeout())
                    .map(c -> ClipboardText.of(c.text()))
                    .filter(t -> !t.isEmpty())
                    .orElse(null);
        } catch (ClipboardException e) {
            LOG.warning(() -> "reading " + first.name() + " at start failed: " + e.getMessage());
            return null;
        }
    }

    /**
     * Reads after a (debounced) change event, on {@code agent-clipboard}. A read that returns exactly what the
     * agent last wrote is either the event of its own write or AWT still answering from its own copy because
     * it has not yet processed losing the selection; one more read a moment later tells the two apart.
     */
    private void readChange(ClipboardBackend clipboard, boolean mayConfirm) {
        try {
            long t0 = System.nanoTime();
            Optional<ClipboardContent> content = clipboard.read(config.clipboardTimeout());
            LOG.fine(() -> "read " + clipboard.name() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            if (content.isEmpty()) {
                return;
            }
            if (mayConfirm && content.get().text().equals(lastWritten)) {
                Future<?> unused = clipboardWorker.schedule(
                        () -> readChange(clipboard, false), CONFIRM_READ_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
            localChanges.add(content.get());
            wake();
        } catch (ClipboardException e) {
            LOG.warning(() -> "reading " + clipboard.name() + " failed: " + e.getMessage());
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private void writeToDesktop(ClipboardText text) {
        try {
            clipboardWorker.execute(() -> {
                for (ClipboardBackend clipboard : clipboards) {
                    try {
                        lastWritten = text.text();
                        clipboard.write(text.text(), config.clipboardTimeout());
                        LOG.fine(() -> "wrote " + text.utf8Size() + " bytes from dom0 to " + clipboard.name());
                    } catch (ClipboardException e) {
                        LOG.warning(() -> "writing to " + clipboard.name() + " failed: " + e.getMessage());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.fine("clipboard worker stopped; text from dom0 dropped");
        }
    }

    private void wake() {
        posix.write(wakePipe[1], new byte[] {1}, 1);
    }

    private void loop() {
        Poller poller = new Poller(2);
        byte[] buffer = new byte[READ_BUFFER];
        byte[] drain = new byte[64];
        try {
            apply(session.start(clock.getAsLong()));
            LOG.info(() -> "device open, watching: " + device.path() + "; waiting for dom0");
            watching.countDown();
            while (running.get()) {
                long now = clock.getAsLong();
                boolean hungUp = now < hungUpUntil;
                short deviceEvents = (short) (Poller.POLLIN | (output.isEmpty() ? 0 : Poller.POLLOUT));
                poller.set(0, hungUp ? -1 : device.fd(), deviceEvents);
                poller.set(1, wakePipe[0], Poller.POLLIN);
                poller.await(timeoutMillis(now));
                short ready = poller.ready(0);
                if ((poller.ready(1) & Poller.POLLIN) != 0) {
                    while (posix.read(wakePipe[0], drain, drain.length) > 0) {
                        // emptied: the queues say what happened
                    }
                }
                if ((ready & Poller.POLLIN) != 0) {
                    readDevice(buffer);
                } else if ((ready & (Poller.POLLHUP | Poller.POLLERR)) != 0) {
                    hangUp();
                }
                if ((ready & Poller.POLLOUT) != 0) {
                    flush();
                }
                handOver();
                if (clock.getAsLong() >= session.nextDeadlineMillis()) {
                    apply(session.onTick(clock.getAsLong()));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "agent loop failed: " + e, e);
        } finally {
            watching.countDown();
            running.set(false);
        }
    }

    private int timeoutMillis(long now) {
        long deadline = session.nextDeadlineMillis();
        if (now < hungUpUntil) {
            deadline = Math.min(deadline, hungUpUntil);
        }
        if (deadline == Long.MAX_VALUE) {
            return -1;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, deadline - now));
    }

    private void readDevice(byte[] buffer) throws IOException {
        while (true) {
            int n = device.read(buffer);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                hangUp();
                return;
            }
            hangupReported = false;
            if (!session.isEstablished()) {
                watchForModemProbes(buffer, n);
            }
            apply(session.onBytes(buffer, 0, n, clock.getAsLong()));
        }
    }

    private void watchForModemProbes(byte[] buffer, int n) {
        if (atNoise.feed(buffer, 0, n) > 0 && !atNoiseReported) {
            atNoiseReported = true;
            LOG.warning(AtNoiseDetector.advice(device.path().toString()));
        }
    }

    private void hangUp() {
        hungUpUntil = clock.getAsLong() + HANGUP_RETRY_MILLIS;
        if (!hangupReported) {
            hangupReported = true;
            LOG.warning(() -> device.path() + " hung up (nobody on the far side); looking again every "
                    + HANGUP_RETRY_MILLIS + " ms");
        }
    }

    private void handOver() {
        ClipboardContent change;
        while ((change = localChanges.poll()) != null) {
            send(sync.localChanged(change));
        }
    }

    private void send(ClipboardSync.Outgoing decision) {
        if (decision instanceof ClipboardSync.Send s) {
            ClipboardText text = s.text();
            LOG.fine(() -> "sending clipboard change of " + text.utf8Size() + " bytes");
            apply(session.sendText(text, clock.getAsLong()));
        } else if (decision instanceof ClipboardSync.Hold h) {
            switch (h.reason()) {
                case OVERSIZE -> LOG.warning(() -> "clipboard text of " + h.utf8Size()
                        + " bytes not sent: over the limit of " + config.maxBytes() + " bytes (--max-bytes)");
                case SECRET -> LOG.info(() ->
                        "clipboard change of " + h.utf8Size() + " bytes not sent: marked secret by a password manager");
                case DISCONNECTED -> LOG.fine(
                        () -> "clipboard change of " + h.utf8Size() + " bytes kept until dom0 is connected");
                default -> LOG.fine(() -> "clipboard change not sent: " + h.reason());
            }
        }
    }

    private void apply(SessionOutput out) {
        if (out.toWrite().length > 0) {
            output.add(out.toWrite());
            flushQuietly();
        }
        for (SessionEvent event : out.events()) {
            onEvent(event);
        }
        boolean now = session.isEstablished();
        if (now != established) {
            established = now;
            if (now) {
                send(sync.established());
            } else {
                sync.disconnected();
            }
        }
    }

    private void onEvent(SessionEvent event) {
        if (event instanceof SessionEvent.Established e) {
            LOG.info(() -> "connected to dom0 ("
                    + (e.extendedClipboard() ? "Unicode" : "Latin-1 until dom0 agrees to Unicode") + ")");
        } else if (event instanceof SessionEvent.TextReceived r) {
            ClipboardSync.Incoming decision = sync.received(r.text());
            if (decision instanceof ClipboardSync.Apply a) {
                LOG.fine(() -> "received " + a.text().utf8Size() + " bytes from dom0");
                writeToDesktop(a.text());
            } else if (decision instanceof ClipboardSync.Ignore i) {
                LOG.fine(() -> "received " + i.utf8Size() + " bytes from dom0, not written: " + i.reason());
            }
        } else if (event instanceof SessionEvent.PeerClipboardEmpty) {
            LOG.fine("dom0's clipboard holds no text");
        } else if (event instanceof SessionEvent.PeerAlive) {
            LOG.finest("dom0 checked we are alive");
        } else if (event instanceof SessionEvent.PeerRestarted) {
            LOG.info("dom0 restarted: handshaking again");
        } else if (event instanceof SessionEvent.NoiseDiscarded n) {
            LOG.fine(() -> "discarded " + n.byteCount() + " bytes before a version (stale or noise)");
        } else if (event instanceof SessionEvent.OversizeDropped o) {
            LOG.warning(() -> "dom0 sent " + o.size() + " bytes, over the limit of " + o.limit() + ": dropped");
        } else if (event instanceof SessionEvent.StalledMessageDropped s) {
            LOG.warning(() ->
                    "a message from dom0 stalled after " + s.bytesReceived() + " bytes: dropped, resynchronising");
        } else if (event instanceof SessionEvent.ProtocolError p) {
            LOG.warning(() -> "protocol error from dom0: " + p.message() + "; starting over");
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (IOException e) {
            LOG.warning(() -> "write to " + device.path() + " failed: " + e.getMessage());
        }
    }

    private void flush() throws IOException {
        while (!output.isEmpty()) {
            byte[] head = output.peek();
            int length = Math.min(WRITE_CHUNK, head.length - outputOffset);
            int n = device.write(head, outputOffset, length);
            if (n == 0) {
                return; // the ring is full: poll says when it drains
            }
            outputOffset += n;
            if (outputOffset == head.length) {
                output.poll();
                outputOffset = 0;
            }
        }
    }

    /** Stops the loop and the clipboard worker; the device and backends stay the caller's to close. */
    @Override
    public void close() {
        if (running.getAndSet(false) && wakePipe[1] >= 0) {
            wake();
        }
        if (ioThread != null) {
            try {
                ioThread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        debouncers.forEach(Debouncer::close);
        clipboardWorker.shutdownNow();
        if (wakePipe[0] >= 0) {
            posix.close(wakePipe[0]);
            posix.close(wakePipe[1]);
            wakePipe[0] = -1;
            wakePipe[1] = -1;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.SEVERE, "uncaught in " + th.getName(), e));
        return t;
    }
}
