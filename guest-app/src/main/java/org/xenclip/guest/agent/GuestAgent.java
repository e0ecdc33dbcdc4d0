package org.xenclip.guest.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.guest.device.AtNoiseDetector;
import org.xenclip.guest.device.ChannelDevice;
import org.xenclip.guest.device.DeviceException;
import org.xenclip.guest.device.LibC;
import org.xenclip.guest.device.Poller;
import org.xenclip.guest.sync.ClipboardSync;
import org.xenclip.guest.sync.Debouncer;
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
    /**
     * After a hang-up (the far side of the terminal went away, as at a VM reboot) the device is closed and
     * opened again this often until its path is back; the agent keeps serving the desktop meanwhile.
     */
    private static final int HANGUP_RETRY_MILLIS = 500;

    /** The device handed in: the caller closes it; devices the agent reopens after a hang-up are its own. */
    private final ChannelDevice initialDevice;

    private final Supplier<ClientSession> sessions;
    private final List<ClipboardBackend> clipboards;
    private final AgentConfig config;
    private final LongSupplier clock;
    private final LibC posix;
    private final int[] wakePipe = {-1, -1};

    private final ConcurrentLinkedQueue<ClipboardContent> localChanges = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService clipboardWorker;
    private final List<Debouncer> debouncers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch watching = new CountDownLatch(1);
    /** Writes of dom0's text queued on {@code agent-clipboard} and not done yet. */
    private final AtomicInteger pendingWrites = new AtomicInteger();
    /** A copy of ours to offer again once the current session output is handled (ClipboardSync.Reoffer). */
    private ClipboardText reoffer;

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
    /** The open device, or null between a hang-up and the reopen. */
    private ChannelDevice device;
    /** A fresh one per opened device: the old session's state means nothing to the peer of a new pty. */
    private ClientSession session;
    /** Set by an Established event, so a re-handshake inside one read still counts as a new establishment. */
    private boolean freshEstablishment;
    /**
     * Whether the next Established event starts a new establishment: true from a session's start or a
     * PeerRestarted until the first Established (a session reports Established again when dom0 agrees to
     * Unicode; that is the same establishment).
     */
    private boolean handshaking = true;

    public GuestAgent(ChannelDevice device, List<ClipboardBackend> clipboards, AgentConfig config) {
        this(device, () -> new ClientSession(config.sessionConfig()), clipboards, config, GuestAgent::monotonicMillis);
    }

    GuestAgent(
            ChannelDevice device,
            Supplier<ClientSession> sessions,
            List<ClipboardBackend> clipboards,
            AgentConfig config,
            LongSupplier clock) {
        this.initialDevice = Objects.requireNonNull(device, "device");
        this.device = device;
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.session = sessions.get();
        if (clipboards.isEmpty()) {
            throw new IllegalArgumentException("at least one clipboard backend is needed");
        }
        this.clipboards = List.copyOf(clipboards);
        this.config = config;
        this.clock = clock;
        this.posix = LibC.get(); // not jnr-posix: see LibC, start-up time
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
            throw new IOException("pipe failed: errno " + LibC.errno());
        }
        for (int fd : wakePipe) {
            int flags = posix.fcntl(fd, Fcntl.F_GETFL.intValue(), 0);
            posix.fcntl(fd, Fcntl.F_SETFL.intValue(), flags | OpenFlags.O_NONBLOCK.intValue());
        }
        // What the clipboard holds at start counts as a change: the agent cannot know whether dom0 has it (the
        // user may have copied while no agent ran), so it is offered at the first establishment and dom0, which
        // knows what it holds, arbitrates (docs/desktop-clipboard.md, "Reconnect"). It is read before the
        // watchers start, and the watchers before the loop, so no change slips between them.
        sync = new ClipboardSync(config.syncConfig(), null);
        readAtStart().ifPresent(sync::localChanged);
        for (ClipboardBackend clipboard : clipboards) {
            // leading: a copy is read at once (copy-to-paste latency), a burst of events after it once more
            Debouncer debouncer = Debouncer.leading(
                    Debouncer.DEFAULT_QUIET,
                    Debouncer.DEFAULT_MAX_DELAY,
                    Debouncer.of(clipboardWorker),
                    () -> readChange(clipboard));
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

    /** The first clipboard's text as found at start, if it holds any. */
    private Optional<ClipboardContent> readAtStart() {
        ClipboardBackend first = clipboards.get(0);
        try {
            return first.read(config.clipboardTimeout()).filter(c -> !c.text().isEmpty());
        } catch (ClipboardException e) {
            LOG.warning(() -> "reading " + first.name() + " at start failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reads after a (debounced) change event, on {@code agent-clipboard}. The backend answers with the current
     * owner's text (the X11 backend never returns our own write once another program owns the selection), so
     * one read per event is enough.
     */
    private void readChange(ClipboardBackend clipboard) {
        if (pendingWrites.get() > 0) {
            // Reads and writes share this thread, so a write of dom0's text waits behind this read: what the
            // read would see is about to be replaced by it (and is typically our own write of an older dom0
            // text, which would go back to dom0 as a copy over the newer one). A copy the user makes after that write
            // raises an event of its own.
            LOG.fine(() -> clipboard.name() + " changed while dom0's text waits to be written: not read");
            return;
        }
        try {
            long t0 = System.nanoTime();
            Optional<ClipboardContent> content = clipboard.read(config.clipboardTimeout());
            LOG.fine(() -> "read " + clipboard.name() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            if (content.isEmpty()) {
                return;
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
        pendingWrites.incrementAndGet();
        try {
            clipboardWorker.execute(() -> {
                try {
                    for (ClipboardBackend clipboard : clipboards) {
                        try {
                            clipboard.write(text.text(), config.clipboardTimeout());
                            LOG.fine(() -> "wrote " + text.utf8Size() + " bytes from dom0 to " + clipboard.name());
                        } catch (ClipboardException e) {
                            LOG.warning(() -> "writing to " + clipboard.name() + " failed: " + e.getMessage());
                        }
                    }
                } finally {
                    pendingWrites.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            pendingWrites.decrementAndGet();
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
                if (device == null && now >= hungUpUntil) {
                    reopen();
                }
                short deviceEvents = (short) (Poller.POLLIN | (output.isEmpty() ? 0 : Poller.POLLOUT));
                poller.set(0, device == null ? -1 : device.fd(), deviceEvents);
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
                if (device != null && (ready & Poller.POLLOUT) != 0) {
                    flush();
                }
                handOver();
                if (device != null && clock.getAsLong() >= session.nextDeadlineMillis()) {
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
        long deadline = device == null ? hungUpUntil : session.nextDeadlineMillis();
        if (deadline == Long.MAX_VALUE) {
            return -1;
        }
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, deadline - now));
    }

    private void readDevice(byte[] buffer) throws IOException {
        while (device != null) {
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

    /**
     * The far side of the terminal went away (POLLHUP, EIO or end of file): this descriptor will never work
     * again (a rebooted VM's channel is a new pty, maybe behind the same link), so it is closed and the
     * session with it; {@link #reopen} opens the path again once it is back.
     */
    private void hangUp() {
        if (device == null) {
            return;
        }
        Path path = device.path();
        LOG.warning(() ->
                path + " hung up (the far side went away); reopening it, trying every " + HANGUP_RETRY_MILLIS + " ms");
        hangupReported = true;
        closeDevice();
        output.clear();
        outputOffset = 0;
        if (established) {
            established = false;
            sync.disconnected();
        }
        hungUpUntil = clock.getAsLong() + HANGUP_RETRY_MILLIS;
    }

    /** Opens the device path again (O_NOCTTY, raw, locked) with a fresh session; on failure tries later. */
    private void reopen() {
        Path path = initialDevice.path();
        try {
            device = ChannelDevice.open(path);
        } catch (DeviceException e) {
            if (hangupReported) {
                hangupReported = false; // once per outage, not every retry
                LOG.info(() -> "cannot reopen " + path + " yet (" + e.getMessage() + "); waiting for it");
            }
            hungUpUntil = clock.getAsLong() + HANGUP_RETRY_MILLIS;
            return;
        }
        hangupReported = false;
        session = sessions.get();
        handshaking = true;
        LOG.info(() -> "reopened " + path + " (raw again); waiting for dom0");
        apply(session.start(clock.getAsLong()));
    }

    private void closeDevice() {
        if (device != null && device != initialDevice) {
            device.close();
        } else if (device != null) {
            initialDevice.close(); // idempotent: the caller's close later does nothing
        }
        device = null;
    }

    private void handOver() {
        for (ClipboardContent change = localChanges.poll(); change != null; change = localChanges.poll()) {
            ClipboardSync.Outgoing decision = sync.localChanged(change);
            LOG.finest(() -> "local change: " + decision); // the decision carries the size, never the text
            send(decision);
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
        applyOutput(out);
        // after the events of this output are handled, not from inside them
        ClipboardText again = reoffer;
        reoffer = null;
        if (again != null && device != null && session.isEstablished()) {
            send(new ClipboardSync.Send(again));
        }
    }

    private void applyOutput(SessionOutput out) {
        if (out.events().stream().anyMatch(e -> e instanceof SessionEvent.PeerRestarted)) {
            dropUnsent();
        }
        if (out.toWrite().length > 0) {
            output.add(out.toWrite());
            flushQuietly();
        }
        for (SessionEvent event : out.events()) {
            onEvent(event);
        }
        if (device == null) {
            return; // hung up while writing: hangUp() already ended the session
        }
        boolean now = session.isEstablished();
        boolean fresh = freshEstablishment;
        freshEstablishment = false;
        if (now && (fresh || !established)) {
            if (established) {
                sync.disconnected(); // a re-handshake without a visible gap: still a new establishment
            }
            established = true;
            onEstablished();
        } else if (!now && established) {
            established = false;
            handshaking = true;
            sync.disconnected();
        }
    }

    /** ClipboardSync's reconnect rule: offer the clipboard unless dom0 is known to hold it. */
    private void onEstablished() {
        send(sync.established());
    }

    /**
     * dom0 restarted (its new greeting arrived): what the old session still had queued for the device would
     * reach the new dom0 in front of our handshake, as noise it has to skip, and a long text would delay the
     * handshake by as many ring-fulls. A message cut in the middle is noise to the new dom0 either way. Text
     * that was in it is offered again after the handshake (ClipboardSync's reconnect rule).
     */
    private void dropUnsent() {
        long bytes = output.stream().mapToLong(b -> b.length).sum() - outputOffset;
        if (bytes > 0) {
            LOG.fine(() -> "dom0 restarted: dropped " + bytes + " bytes the old session had not written yet");
        }
        output.clear();
        outputOffset = 0;
    }

    private void onEvent(SessionEvent event) {
        if (event instanceof SessionEvent.Established e) {
            freshEstablishment = handshaking;
            handshaking = false;
            LOG.info(() -> "connected to dom0 ("
                    + (e.extendedClipboard() ? "Unicode" : "Latin-1 until dom0 agrees to Unicode") + ")");
        } else if (event instanceof SessionEvent.TextReceived r) {
            ClipboardSync.Incoming decision = sync.received(r.text(), r.crossed());
            if (decision instanceof ClipboardSync.Apply a) {
                LOG.fine(() -> "received " + a.text().utf8Size() + " bytes from dom0");
                writeToDesktop(a.text());
            } else if (decision instanceof ClipboardSync.Reoffer o) {
                LOG.fine(() -> "received " + r.text().utf8Size() + " bytes from dom0, crossing our copy of "
                        + o.text().utf8Size() + " bytes; dom0's is what we held before that copy: offering it again");
                reoffer = o.text();
            } else if (decision instanceof ClipboardSync.Ignore i) {
                LOG.fine(() -> "received " + i.utf8Size() + " bytes from dom0, not written: " + i.reason());
            }
        } else if (event instanceof SessionEvent.PeerClipboardEmpty) {
            LOG.fine("dom0's clipboard holds no text");
        } else if (event instanceof SessionEvent.PeerAlive) {
            LOG.finest("dom0 checked we are alive");
        } else if (event instanceof SessionEvent.PeerRestarted) {
            handshaking = true;
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
        if (device == null) {
            output.clear(); // nobody to write to: the next session starts from its own handshake
            outputOffset = 0;
            return;
        }
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
            if (n < 0) {
                hangUp(); // EIO: the far side went away
                return;
            }
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

    /**
     * Stops the loop and the clipboard worker; the device handed in and the backends stay the caller's to
     * close, a device the agent reopened after a hang-up is closed here.
     */
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
        ChannelDevice reopened = device;
        if (reopened != null && reopened != initialDevice && (ioThread == null || !ioThread.isAlive())) {
            reopened.close();
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
