package org.xenclip.host.connection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.xenclip.host.vm.VmState;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.ServerSession;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * dom0's end of one VM's channel: connects to the socket QEMU listens on, runs a {@link ServerSession} over
 * it on its own thread {@code vm-<name>-io}, and reconnects with capped back-off when the socket is missing,
 * refuses, closes, or the VM misbehaves. Never blocks a caller: sending only queues a command.
 *
 * <p>A misbehaving VM (stops reading, floods, sends garbage or an oversize or stalled message) gets its
 * connection dropped with the reason reported, and is retried after the back-off; its memory use is bounded
 * by the read buffer, the session's limits and {@link #maxPendingBytes}.
 */
public final class VmConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(VmConnection.class.getName());

    /** One read's worth; a VM's bytes are handed to the session in pieces of at most this. */
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /** Reads per wake-up before timers and commands get a turn, so a flood cannot starve them. */
    private static final int READS_PER_TURN = 16;
    /** Why a session ended when the VM's side closed (QEMU dropped the client, the VM shut down). */
    static final String VM_CLOSED = "the VM closed the channel (shut down or rebooting?)";

    private final String vm;
    private final Path socket;
    private final ConnectionTiming timing;
    private final Consumer<ConnectionEvent> events;
    /** A peek follows the text the agent took; its answer means the agent read the text. I/O thread only. */
    private boolean deliveryProbe;

    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile SessionConfig sessionConfig;
    private volatile boolean acceptIncoming;
    private volatile boolean closed;
    private volatile boolean retryNow;
    private volatile Selector selector;
    /** Bytes read from the VM and already handed to the session, over all connections. */
    private final java.util.concurrent.atomic.AtomicLong bytesReceived = new java.util.concurrent.atomic.AtomicLong();

    // Owned by the I/O thread.
    private ServerSession session;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    /**
     * The write-stall clock: when the VM last read some of dom0's output, or when output began to wait for it.
     * A write the kernel accepts is not the VM reading (see {@link UnreadOutput}).
     */
    private long lastWriteProgress;
    /** The socket's native descriptor for {@link UnreadOutput}, or -1 (then accepted writes count as reads). */
    private int fd = -1;
    /** Bytes in the kernel's socket buffer the VM had not read at the last look. */
    private long kernelUnread;

    private long floodWindowStart;
    private long floodBytes;
    private long lastAlive;
    private boolean alive;
    private long nextHeartbeat = Long.MAX_VALUE;
    private String dropReason;
    /** Whether this session's establishment was reported (once per handshake). */
    private boolean linked;

    private VmState reportedState;
    private Optional<String> reportedReason = Optional.empty();

    private sealed interface Command {
        record Send(ClipboardText text) implements Command {}

        record Accept(boolean accept) implements Command {}
    }

    public VmConnection(
            String vm,
            Path socket,
            SessionConfig sessionConfig,
            boolean acceptIncoming,
            ConnectionTiming timing,
            Consumer<ConnectionEvent> events) {
        this.vm = Objects.requireNonNull(vm, "vm");
        this.socket = Objects.requireNonNull(socket, "socket");
        this.sessionConfig = Objects.requireNonNull(sessionConfig, "sessionConfig");
        this.acceptIncoming = acceptIncoming;
        this.timing = Objects.requireNonNull(timing, "timing");
        this.events = Objects.requireNonNull(events, "events");
        this.thread = new Thread(this::run, "vm-" + vm + "-io");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.log(Level.SEVERE, "I/O thread of " + vm + " died", e));
    }

    public String vm() {
        return vm;
    }

    public Path socket() {
        return socket;
    }

    public void start() {
        thread.start();
    }

    /**
     * Bytes read from the VM so far and already processed (their events handed to the consumer), over all
     * connections: for diagnostics, and for tests that must know the VM's bytes were seen.
     */
    public long bytesReceived() {
        return bytesReceived.get();
    }

    /**
     * Queues text for the agent; dropped if the session is not established (the hub resends on link). The
     * agent's asking for it is reported as {@link ConnectionEvent.TookText}, its having read it all as {@link
     * ConnectionEvent.GotText}.
     */
    public void send(ClipboardText text) {
        commands.add(new Command.Send(Objects.requireNonNull(text, "text")));
        wake();
    }

    /** Whether text from the agent is wanted: when not, it is not even requested (protocol.md 4). */
    public void setAcceptIncoming(boolean accept) {
        acceptIncoming = accept;
        commands.add(new Command.Accept(accept));
        wake();
    }

    /** Limits for the next session (the current one keeps its own). */
    public void setSessionConfig(SessionConfig config) {
        this.sessionConfig = Objects.requireNonNull(config, "config");
    }

    /** The socket may be back (discovery saw it): skip the rest of the back-off. */
    public void retryNow() {
        retryNow = true;
        wake();
    }

    @Override
    public void close() {
        closed = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void wake() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    private void run() {
        try (Selector sel = AFUNIXSelectorProvider.provider().openSelector()) {
            selector = sel;
            long backoff = timing.backoffInitial().toMillis();
            while (!closed) {
                if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                    ConnectFailure f = ConnectFailure.missing(socket);
                    report(f.state(), Optional.of(f.reason()));
                    backoff = waitAndGrow(sel, backoff);
                    continue;
                }
                report(VmState.CONNECTING, Optional.empty());
                AFUNIXSocketChannel ch;
                try {
                    ch = AFUNIXSocketChannel.open();
                    try {
                        ch.connect(AFUNIXSocketAddress.of(socket));
                    } catch (IOException | RuntimeException e) {
                        ch.close();
                        throw e;
                    }
                } catch (IOException e) {
                    ConnectFailure f = ConnectFailure.classify(socket, e);
                    LOG.fine(() -> vm + ": " + f.reason());
                    report(f.state(), Optional.of(f.reason()));
                    backoff = waitAndGrow(sel, backoff);
                    continue;
                }
                long started = now();
                linked = false;
                String why;
                try (AFUNIXSocketChannel c = ch) {
                    why = serve(c, sel);
                } catch (AsynchronousCloseException e) {
                    // Nothing of ours closes the channel while it is served (close() ends the loop first): seen
                    // once, under load, as the peer hung up (VmConnectionDropTest), from inside junixsocket.
                    why = VM_CLOSED;
                } catch (IOException e) {
                    why = "channel error: " + describe(e);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, vm + ": session failed", e);
                    why = "internal error: " + e;
                } finally {
                    endSession();
                    sel.selectNow(); // deregisters the closed channel's key
                }
                if (closed) {
                    break;
                }
                // A session that got through the handshake and ended without the VM misbehaving is a success:
                // QEMU listens again at once, so the next attempt comes after the shortest wait.
                if ((linked && !dropIsError)
                        || now() - started >= timing.stableAfter().toMillis()) {
                    backoff = timing.backoffInitial().toMillis();
                }
                String reason = why;
                LOG.info(() -> vm + ": connection ended: " + reason);
                report(dropIsError ? VmState.ERROR : VmState.WAITING_FOR_SOCKET, Optional.of(reason));
                backoff = waitAndGrow(sel, backoff);
            }
        } catch (IOException e) {
            report(VmState.ERROR, Optional.of("cannot open a selector: " + e.getMessage()));
        } finally {
            selector = null;
            report(VmState.OFF, Optional.empty());
        }
    }

    private boolean dropIsError;

    /** Waits up to {@code backoffMillis} (less if told to retry or close) and returns the next back-off. */
    private long waitAndGrow(Selector sel, long backoffMillis) throws IOException {
        long until = now() + backoffMillis;
        while (!closed && !retryNow) {
            long left = until - now();
            if (left <= 0) {
                break;
            }
            sel.select(left);
            commands.clear(); // nothing to send to while apart; the hub resends on link
        }
        boolean skipped = retryNow;
        retryNow = false;
        if (skipped) {
            return timing.backoffInitial().toMillis();
        }
        return Math.min(backoffMillis * 2, timing.backoffCap().toMillis());
    }

    private String serve(AFUNIXSocketChannel ch, Selector sel) throws IOException {
        ch.configureBlocking(false);
        SelectionKey key = ch.register(sel, SelectionKey.OP_READ);
        fd = UnreadOutput.descriptor(ch);
        kernelUnread = 0;
        dropReason = null;
        dropIsError = false;
        linked = false;
        session = new ServerSession(sessionConfig);
        session.setAcceptIncoming(acceptIncoming);
        commands.clear();
        long t = now();
        floodWindowStart = t;
        floodBytes = 0;
        lastAlive = t;
        alive = false;
        nextHeartbeat = Long.MAX_VALUE;
        report(VmState.HANDSHAKING, Optional.empty());
        apply(session.start(t), t);
        ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER_BYTES);
        while (!closed && dropReason == null) {
            runCommands();
            flush(ch);
            t = now();
            checkTimers(t);
            if (dropReason != null) {
                break;
            }
            if (!key.isValid()) {
                return VM_CLOSED;
            }
            key.interestOps(pending.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            long deadline = nextDeadline();
            long wait = deadline == Long.MAX_VALUE ? 0 : Math.max(1, deadline - t);
            sel.select(wait);
            // junixsocket (2.10) reads 0, not -1, at end-of-stream on a non-blocking channel, and its selector
            // cancels the key when poll reports a hang-up; so "readable but nothing to read" and "key cancelled"
            // are how a peer's close or half-close shows, at once, instead of at the next failed heartbeat.
            boolean hungUp = !key.isValid();
            boolean readable = hungUp || (sel.selectedKeys().contains(key) && key.isReadable());
            sel.selectedKeys().clear();
            for (int i = 0; i < READS_PER_TURN && dropReason == null; i++) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0 || (n == 0 && i == 0 && readable)) {
                    return VM_CLOSED;
                }
                if (n == 0) {
                    break;
                }
                t = now();
                countFlood(n, t);
                apply(session.onBytes(buf.array(), 0, n, t), t);
                bytesReceived.addAndGet(n);
            }
            t = now();
            if (dropReason == null && t >= session.nextDeadlineMillis()) {
                apply(session.onTick(t), t);
            }
        }
        return closed ? "closed" : dropReason;
    }

    private void endSession() {
        session = null;
        deliveryProbe = false;
        pending.clear();
        pendingBytes = 0;
        fd = -1;
        kernelUnread = 0;
        if (alive) {
            alive = false;
            events.accept(new ConnectionEvent.AgentAlive(vm, false));
        }
        nextHeartbeat = Long.MAX_VALUE;
    }

    private void runCommands() {
        Command c;
        while ((c = commands.poll()) != null) {
            long t = now();
            if (c instanceof Command.Accept a) {
                session.setAcceptIncoming(a.accept());
            } else if (c instanceof Command.Send s) {
                if (!session.isEstablished()) {
                    LOG.fine(() -> vm + ": not established, dropped " + s.text());
                    continue;
                }
                long size = s.text().utf8Size();
                LOG.fine(() -> vm + ": sending " + size + " bytes");
                try {
                    apply(session.sendText(s.text(), t), t);
                    events.accept(new ConnectionEvent.Sent(vm, size));
                } catch (IllegalArgumentException e) {
                    events.accept(new ConnectionEvent.Oversize(
                            vm, size, session.config().maxPayloadBytes()));
                }
            }
        }
    }

    private void apply(SessionOutput out, long t) {
        if (out.toWrite().length > 0) {
            enqueue(out.toWrite(), t);
        }
        for (SessionEvent e : out.events()) {
            handle(e, t);
        }
    }

    private void handle(SessionEvent e, long t) {
        if (e instanceof SessionEvent.Established est) {
            lastAlive = t;
            nextHeartbeat = t + timing.heartbeatInterval().toMillis();
            // The session reports Established twice when the client turns the extension on right after
            // ServerInit (legacy first, then extended); the hub links once and the session itself resends
            // text that went out lossy as Latin-1.
            if (!linked) {
                linked = true;
                report(VmState.CONNECTED, Optional.empty());
                events.accept(new ConnectionEvent.Established(vm, est.extendedClipboard()));
            }
            setAlive(true);
        } else if (e instanceof SessionEvent.TextReceived r) {
            lastAlive = t;
            setAlive(true);
            LOG.fine(() -> vm + ": received " + r.text().utf8Size() + " bytes" + (r.crossed() ? ", crossed ours" : ""));
            events.accept(new ConnectionEvent.Received(vm, r.text(), r.crossed()));
        } else if (e instanceof SessionEvent.PeerTookText) {
            lastAlive = t;
            setAlive(true);
            LOG.fine(() -> vm + ": the agent asked for dom0's text");
            events.accept(new ConnectionEvent.TookText(vm));
            // A peek right behind the text: the agent's answer proves it read the text (the channel keeps order).
            SessionOutput peek = session.sendHeartbeat(t);
            if (peek.toWrite().length > 0) {
                enqueue(peek.toWrite(), t);
                deliveryProbe = true;
            }
        } else if (e instanceof SessionEvent.PeerAlive || e instanceof SessionEvent.PeerClipboardEmpty) {
            lastAlive = t;
            setAlive(true);
            if (deliveryProbe && e instanceof SessionEvent.PeerAlive) {
                deliveryProbe = false;
                events.accept(new ConnectionEvent.GotText(vm));
            }
        } else if (e instanceof SessionEvent.PeerRestarted) {
            LOG.info(() -> vm + ": the agent restarted; handshaking again");
            nextHeartbeat = Long.MAX_VALUE;
            linked = false;
            report(VmState.HANDSHAKING, Optional.empty());
        } else if (e instanceof SessionEvent.NoiseDiscarded n) {
            LOG.fine(() -> vm + ": discarded " + n.byteCount() + " bytes before a version");
        } else if (e instanceof SessionEvent.OversizeDropped o) {
            events.accept(new ConnectionEvent.Oversize(vm, o.size(), o.limit()));
            drop("the VM sent clipboard text of " + o.size() + " bytes, more than the limit of " + o.limit()
                    + " bytes");
        } else if (e instanceof SessionEvent.StalledMessageDropped s) {
            drop("the VM stopped in the middle of a message after " + s.bytesReceived() + " bytes");
        } else if (e instanceof SessionEvent.ProtocolError p) {
            drop("protocol error: " + p.message());
        }
    }

    private void drop(String reason) {
        if (dropReason == null) {
            dropReason = reason;
            dropIsError = true;
            LOG.warning(() -> vm + ": dropping the connection: " + reason);
        }
    }

    private void setAlive(boolean a) {
        if (alive != a) {
            alive = a;
            events.accept(new ConnectionEvent.AgentAlive(vm, a));
        }
    }

    /** Output the VM may have pending before it counts as not reading: two full payloads and some slack. */
    long maxPendingBytes() {
        return 2 * session.config().maxPayloadBytes() + 64 * 1024;
    }

    /** Whether some of dom0's output has not reached the VM's reader: queued here or in the socket buffer. */
    private boolean hasUnread() {
        return !pending.isEmpty() || kernelUnread > 0;
    }

    /**
     * Looks at the socket buffer: a smaller count than last time means the VM read (progress); none left means
     * everything dom0 wrote was read.
     */
    private void lookAtSocketBuffer(long t) {
        if (fd < 0) {
            return;
        }
        long q = UnreadOutput.of(fd);
        if (q < 0) {
            fd = -1; // cannot ask any more: fall back to counting accepted writes
            kernelUnread = 0;
            return;
        }
        if (q < kernelUnread) {
            lastWriteProgress = t;
        }
        kernelUnread = q;
    }

    private void enqueue(byte[] bytes, long t) {
        if (!hasUnread()) {
            lastWriteProgress = t;
        }
        pending.addLast(ByteBuffer.wrap(bytes));
        pendingBytes += bytes.length;
        if (pendingBytes > maxPendingBytes()) {
            drop("the VM stopped reading: " + pendingBytes + " bytes waiting, limit " + maxPendingBytes());
        }
    }

    private void flush(AFUNIXSocketChannel ch) throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        lookAtSocketBuffer(now()); // before writing: only here does a smaller count mean the VM read
        boolean wrote = false;
        try {
            while (!pending.isEmpty()) {
                ByteBuffer b = pending.peekFirst();
                int n = ch.write(b);
                if (n > 0) {
                    pendingBytes -= n;
                    wrote = true;
                    if (fd < 0) {
                        lastWriteProgress = now();
                    }
                }
                if (b.hasRemaining()) {
                    return;
                }
                pending.removeFirst();
            }
        } finally {
            if (wrote && fd >= 0) {
                long q = UnreadOutput.of(fd);
                kernelUnread = q < 0 ? 0 : q;
            }
        }
    }

    private void countFlood(int n, long t) {
        if (t - floodWindowStart >= timing.floodWindow().toMillis()) {
            floodWindowStart = t;
            floodBytes = 0;
        }
        floodBytes += n;
        if (floodBytes > timing.floodBytes()) {
            drop("the VM flooded the channel: more than " + timing.floodBytes() + " bytes in "
                    + seconds(timing.floodWindow()));
        }
    }

    private void checkTimers(long t) {
        if (kernelUnread > 0) {
            lookAtSocketBuffer(t);
        }
        // Unread output counts once the handshake is done: before it, an absent agent leaves dom0's repeated
        // greetings unread, which the handshake's own back-off already handles (protocol.md rule 3).
        if (hasUnread()
                && (!pending.isEmpty() || session.isEstablished())
                && t - lastWriteProgress >= timing.writeStall().toMillis()) {
            // The socket buffer's count is the kernel's accounting (with its per-write overhead), not text bytes.
            drop("the VM stopped reading: nothing read for " + seconds(timing.writeStall()) + " (" + pendingBytes
                    + " bytes queued in dom0, socket buffer holding " + kernelUnread + ")");
            return;
        }
        if (session.isEstablished() && session.isExtendedClipboard()) {
            if (t >= nextHeartbeat) {
                nextHeartbeat = t + timing.heartbeatInterval().toMillis();
                if (pending.isEmpty()) {
                    apply(session.sendHeartbeat(t), t);
                }
            }
            if (alive && t - lastAlive >= timing.agentTimeout().toMillis()) {
                setAlive(false);
            }
        }
    }

    private long nextDeadline() {
        long d = session.nextDeadlineMillis();
        if (session.isEstablished() && session.isExtendedClipboard()) {
            d = Math.min(d, nextHeartbeat);
            if (alive) {
                d = Math.min(d, lastAlive + timing.agentTimeout().toMillis());
            }
        }
        if (!pending.isEmpty() || (kernelUnread > 0 && session.isEstablished())) {
            d = Math.min(d, lastWriteProgress + timing.writeStall().toMillis());
        }
        return d;
    }

    /** An exception's message, or its type when it has none (junixsocket's often have none). */
    static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void report(VmState state, Optional<String> reason) {
        if (state == reportedState && reason.equals(reportedReason)) {
            return;
        }
        reportedState = state;
        reportedReason = reason;
        events.accept(new ConnectionEvent.StateChanged(vm, state, reason));
    }
}
