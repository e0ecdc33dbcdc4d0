package org.xenclip.guest.agent;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
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
 * <p>The {@code agent-io} thread owns the device and the session: it waits in poll(2) on the device and a
 * wake-up pipe, with a timeout equal to the session's next deadline, so timers run on time and an idle agent
 * uses no CPU. Desktop changes reach it through a queue; text from dom0 leaves it through the
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
    private final Sync sync;
    private final LongSupplier clock;
    private final POSIX posix;
    private final int[] wakePipe = new int[2];

    private final ConcurrentLinkedQueue<ClipboardContent> baselines = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<ClipboardContent> localChanges = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clipboardWorker;
    private final AtomicBoolean readScheduled = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Counts down twice: the loop runs, and the watchers are registered. */
    private final CountDownLatch watching = new CountDownLatch(2);
    /** The text the agent last put on the desktop, to tell its own change events from the user's. */
    private volatile String lastWritten;

    private volatile boolean established;
    private Thread ioThread;

    // owned by agent-io
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
        this.clipboards = List.copyOf(clipboards);
        this.config = config;
        this.sync = new EchoSuppressingSync(config);
        this.clock = clock;
        this.posix = POSIXFactory.getNativePOSIX();
        this.clipboardWorker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "agent-clipboard"));
    }

    static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Starts the {@code agent-io} thread and the clipboard watchers; returns at once. */
    public void start() throws IOException {
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
        // On the worker, in this order: the baseline read, then the watchers, so no change can be mistaken
        // for the baseline or slip between the two.
        clipboardWorker.execute(() -> {
            readBaseline();
            for (ClipboardBackend clipboard : clipboards) {
                clipboard.watch(() -> scheduleRead(clipboard));
            }
            watchersReady();
        });
        ioThread = daemon(this::loop, "agent-io");
        ioThread.start();
    }

    /** Waits until the loop runs and the watchers are registered ("device open, watching"). */
    public boolean awaitWatching(long timeout, TimeUnit unit) throws InterruptedException {
        return watching.await(timeout, unit);
    }

    /** Whether the session with dom0 is established (for tests and status). */
    public boolean isEstablished() {
        return established;
    }

    /** Blocks until the agent stops (never, unless {@link #close} is called or the loop fails). */
    public void join() throws InterruptedException {
        ioThread.join();
    }

    private void watchersReady() {
        watching.countDown();
        if (watching.getCount() == 0) {
            LOG.info(() -> "device open, watching: " + device.path() + "; waiting for dom0");
        }
    }

    /** The clipboard as found at start counts as already exchanged (see {@link Sync#onBaseline}). */
    private void readBaseline() {
        for (ClipboardBackend clipboard : clipboards) {
            try {
                clipboard.read(config.clipboardTimeout()).ifPresent(baselines::add);
            } catch (ClipboardException e) {
                LOG.warning(() -> "reading " + clipboard.name() + " at start failed: " + e.getMessage());
            }
        }
        wake();
    }

    /** Called on the backend's events thread: schedule one read, coalescing a burst of events. */
    private void scheduleRead(ClipboardBackend clipboard) {
        LOG.finest(() -> clipboard.name() + " changed");
        if (!readScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            clipboardWorker.execute(() -> {
                readScheduled.set(false);
                readChange(clipboard, true);
            });
        } catch (RejectedExecutionException e) {
            readScheduled.set(false); // shutting down
        }
    }

    /**
     * Reads after a change event. A read that returns exactly what the agent last wrote is either the event of
     * its own write or AWT still answering from its own copy because it has not yet processed losing the
     * selection; one more read a moment later tells the two apart.
     */
    private void readChange(ClipboardBackend clipboard, boolean mayConfirm) {
        try {
            Optional<ClipboardContent> content = clipboard.read(config.clipboardTimeout());
            if (content.isEmpty()) {
                return;
            }
            if (mayConfirm && content.get().text().equals(lastWritten)) {
                clipboardWorker.schedule(
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
            watchersReady();
            while (running.get()) {
                long now = clock.getAsLong();
                boolean hungUp = now < hungUpUntil;
                short deviceEvents = hungUp ? 0 : (short) (Poller.POLLIN | (output.isEmpty() ? 0 : Poller.POLLOUT));
                poller.set(0, hungUp ? -1 : device.fd(), deviceEvents);
                poller.set(1, wakePipe[0], Poller.POLLIN);
                poller.await(timeoutMillis(now));
                short ready = poller.ready(0);
                if ((poller.ready(1) & Poller.POLLIN) != 0) {
                    while (posix.read(wakePipe[0], drain, drain.length) > 0) {
                        // emptied: the queues below say what happened
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
            LOG.warning(() ->
                    device.path() + " hung up (nobody on the far side); retrying every " + HANGUP_RETRY_MILLIS + " ms");
        }
    }

    private void handOver() {
        ClipboardContent baseline;
        while ((baseline = baselines.poll()) != null) {
            sync.onBaseline(baseline);
        }
        ClipboardContent change;
        while ((change = localChanges.poll()) != null) {
            Optional<ClipboardText> toSend = sync.onLocal(change);
            if (toSend.isPresent()) {
                ClipboardText text = toSend.get();
                LOG.fine(() -> "sending clipboard change of " + text.utf8Size() + " bytes");
                apply(session.sendText(text, clock.getAsLong()));
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
    }

    private void onEvent(SessionEvent event) {
        if (event instanceof SessionEvent.Established e) {
            established = true;
            LOG.info(() -> "connected to dom0 (" + (e.extendedClipboard() ? "Unicode" : "Latin-1 only") + ")");
            sync.onConnected().ifPresent(text -> apply(session.sendText(text, clock.getAsLong())));
        } else if (event instanceof SessionEvent.TextReceived r) {
            LOG.fine(() -> "received " + r.text().utf8Size() + " bytes from dom0");
            sync.onRemote(r.text()).ifPresent(this::writeToDesktop);
        } else if (event instanceof SessionEvent.PeerClipboardEmpty) {
            LOG.fine("dom0's clipboard holds no text");
        } else if (event instanceof SessionEvent.PeerAlive) {
            LOG.finest("dom0 checked we are alive");
        } else if (event instanceof SessionEvent.PeerRestarted) {
            established = false;
            LOG.info("dom0 restarted: handshaking again");
        } else if (event instanceof SessionEvent.NoiseDiscarded n) {
            LOG.fine(() -> "discarded " + n.byteCount() + " bytes before a version (stale or noise)");
        } else if (event instanceof SessionEvent.OversizeDropped o) {
            LOG.warning(() -> "dom0 sent " + o.size() + " bytes, over the limit of " + o.limit() + ": dropped");
        } else if (event instanceof SessionEvent.StalledMessageDropped s) {
            LOG.warning(() ->
                    "a message from dom0 stalled after " + s.bytesReceived() + " bytes: dropped, resynchronising");
        } else if (event instanceof SessionEvent.ProtocolError p) {
            established = false;
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

    /** Stops the loop and the clipboard worker; the device stays the caller's to close. */
    @Override
    public void close() throws InterruptedException {
        if (running.getAndSet(false)) {
            wake();
        }
        if (ioThread != null) {
            ioThread.join(TimeUnit.SECONDS.toMillis(5));
        }
        clipboardWorker.shutdownNow();
        if (wakePipe[0] > 0) {
            posix.close(wakePipe[0]);
            posix.close(wakePipe[1]);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.SEVERE, "uncaught in " + th.getName(), e));
        return t;
    }
}
