package org.xenclip.channelsim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * One boot of the simulated VM: the listening socket (QEMU's side), the two rings, the
 * pseudo-terminal (the guest's hvc console) and the three threads that move bytes between them.
 * A reboot closes this object and starts a new one.
 *
 * <p>Threads: {@code sim-<name>-dom0-accept} accepts one client at a time and reads it into the
 * dom0-to-guest ring; {@code sim-<name>-dom0-write} drains the guest-to-dom0 ring to the client
 * (or into the backlog while none is connected); {@code sim-<name>-guest-io} owns the pty master
 * and moves bytes between it and both rings. All shared state is guarded by {@link #lock}; no
 * thread holds it during blocking I/O.
 */
final class VmBoot implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedChannel.class.getName());

    /**
     * Guest output kept while no dom0 client is connected (issue 4, protocol.md section 1: 1 MiB),
     * the oldest dropped beyond it.
     */
    static final int BACKLOG_BYTES = 1 << 20;
    /** QEMU's chardev listens with a backlog of one: a second client waits, unserved. */
    private static final int LISTEN_BACKLOG = 1;
    /** How often a closed device is checked for the agent opening it (POLLHUP then clears). */
    private static final int CLOSED_DEVICE_CHECK_MILLIS = 20;
    /** How often a client is checked for hang-up while the full ring keeps us from reading it. */
    private static final long HANGUP_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final ChannelConfig config;
    private final Counters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private final ByteQueue toGuest = new ByteQueue(Direction.TO_GUEST.ringBytes());
    private final ByteQueue toDom0 = new ByteQueue(Direction.TO_DOM0.ringBytes());
    private final ByteQueue backlog = new ByteQueue(BACKLOG_BYTES);
    private final TokenBucket toGuestPace;
    private final TokenBucket toDom0Pace;
    private boolean stalledToGuest;
    private boolean stalledToDom0;
    private boolean corruptToGuest;
    private boolean corruptToDom0;
    private AFUNIXSocket client;
    private boolean deviceOpen;
    private boolean closing;

    private final Pty pty;
    private final WakePipe wake;
    private final AFUNIXServerSocket server;
    private final List<Thread> threads = new ArrayList<>();

    private VmBoot(ChannelConfig config, Counters counters, Pty pty, WakePipe wake, AFUNIXServerSocket server) {
        this.config = config;
        this.counters = counters;
        this.pty = pty;
        this.wake = wake;
        this.server = server;
        long rate = config.bandwidthBytesPerSecond();
        this.toGuestPace = new TokenBucket(rate, Direction.TO_GUEST.ringBytes(), System::nanoTime);
        this.toDom0Pace = new TokenBucket(rate, Direction.TO_DOM0.ringBytes(), System::nanoTime);
    }

    /** Creates the pty and its link, binds the socket and starts the threads. */
    static VmBoot start(ChannelConfig config, Counters counters) throws IOException {
        Pty pty = Pty.open();
        WakePipe wake = null;
        AFUNIXServerSocket server = null;
        try {
            wake = new WakePipe();
            if (config.deviceLink().isPresent()) {
                pointLink(config.deviceLink().get(), pty.slavePath());
            }
            server = listen(config.socketPath());
            VmBoot boot = new VmBoot(config, counters, pty, wake, server);
            boot.startThreads();
            counters.boots.incrementAndGet();
            LOG.log(
                    Level.INFO,
                    "channel {0}: listening on {1}, guest device {2}",
                    config.name(),
                    config.socketPath(),
                    pty.slavePath());
            return boot;
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                closeQuietly(server);
                deleteSocketFile(config.socketPath());
            }
            if (wake != null) {
                wake.close();
            }
            pty.close();
            throw e;
        }
    }

    Path ptyPath() {
        return pty.slavePath();
    }

    // ---- faults and queries (any thread) ----

    void dropClient() {
        AFUNIXSocket dropped;
        lock.lock();
        try {
            dropped = client;
            client = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (dropped != null) {
            LOG.log(Level.INFO, "channel {0}: dropping the dom0 client", config.name());
            closeQuietly(dropped);
        }
    }

    void inject(Direction direction, byte[] bytes) {
        lock.lock();
        try {
            queue(direction).append(bytes, 0, bytes.length);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        wake.wake();
        LOG.log(Level.INFO, "channel {0}: injected {1} bytes toward {2}", config.name(), bytes.length, direction);
    }

    void corruptNextByte(Direction direction) {
        lock.lock();
        try {
            if (direction == Direction.TO_GUEST) {
                corruptToGuest = true;
            } else {
                corruptToDom0 = true;
            }
        } finally {
            lock.unlock();
        }
    }

    void setStalled(Direction direction, boolean stalled) {
        lock.lock();
        try {
            if (direction == Direction.TO_GUEST) {
                stalledToGuest = stalled;
            } else {
                stalledToDom0 = stalled;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        wake.wake();
    }

    ChannelStats stats() {
        lock.lock();
        try {
            return new ChannelStats(
                    counters.bytesToGuest.get(),
                    counters.bytesToDom0.get(),
                    counters.largestChunkToGuest.get(),
                    counters.largestChunkToDom0.get(),
                    toGuest.size(),
                    toDom0.size(),
                    backlog.size(),
                    counters.droppedToDom0.get(),
                    counters.clientsAccepted.get(),
                    client != null,
                    deviceOpen,
                    counters.boots.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shuts this boot down as a VM's end would: the client is disconnected, the socket file and
     * the device link disappear, and open descriptors of the device are hung up.
     */
    @Override
    public void close() {
        AFUNIXSocket last;
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            deviceOpen = false;
            last = client;
            client = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        closeQuietly(server);
        if (last != null) {
            closeQuietly(last);
        }
        wake.wake();
        for (Thread t : threads) {
            try {
                t.join(JOIN_TIMEOUT.toMillis());
                if (t.isAlive()) {
                    LOG.log(Level.WARNING, "channel {0}: thread {1} did not end", config.name(), t.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        wake.close();
        pty.close();
        deleteSocketFile(config.socketPath());
        config.deviceLink().ifPresent(VmBoot::deleteLink);
        LOG.log(Level.INFO, "channel {0}: shut down", config.name());
    }

    // ---- set-up ----

    private void startThreads() {
        threads.add(thread("dom0-accept", this::acceptLoop));
        threads.add(thread("dom0-write", this::dom0WriteLoop));
        threads.add(thread("guest-io", this::guestLoop));
        threads.forEach(Thread::start);
    }

    private Thread thread(String role, Runnable body) {
        Thread t = new Thread(body, "sim-" + config.name() + "-" + role);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.ERROR, "thread " + th.getName() + " failed", e));
        return t;
    }

    /** Like QEMU, which unlinks the path before binding: a stale socket file must not stop a boot. */
    private static AFUNIXServerSocket listen(Path socketPath) throws IOException {
        Path parent = socketPath.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(socketPath, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attrs =
                    Files.readAttributes(socketPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attrs.isOther()) {
                throw new IOException("socket path " + socketPath + " exists and is not a socket");
            }
            Files.delete(socketPath);
        }
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(socketPath), LISTEN_BACKLOG);
        return server;
    }

    /** Points the link at the pty through a rename, so an agent never sees a missing or half link. */
    private static void pointLink(Path link, Path target) throws IOException {
        Path parent = link.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            throw new IOException("device link " + link + " exists and is not a symbolic link");
        }
        Path temp = link.resolveSibling("." + link.getFileName() + ".new");
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, target);
        Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteLink(Path link) {
        try {
            if (Files.isSymbolicLink(link)) {
                Files.delete(link);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete device link " + link, e);
        }
    }

    private static void deleteSocketFile(Path socketPath) {
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete socket " + socketPath, e);
        }
    }

    // ---- dom0 side ----

    /** Serves one client at a time; while one is served, a second waits in the listen backlog. */
    private void acceptLoop() {
        byte[] buf = new byte[Direction.TO_GUEST.ringBytes()];
        while (true) {
            AFUNIXSocket sock;
            try {
                sock = server.accept();
            } catch (IOException e) {
                if (!isClosing()) {
                    LOG.log(Level.ERROR, "channel " + config.name() + ": accept failed", e);
                }
                return;
            }
            int fd = nativeFd(sock); // before anyone else can close it
            lock.lock();
            try {
                if (closing) {
                    closeQuietly(sock);
                    return;
                }
                client = sock;
                counters.clientsAccepted.incrementAndGet();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            LOG.log(Level.INFO, "channel {0}: dom0 client connected", config.name());
            serve(sock, fd, buf);
            LOG.log(Level.INFO, "channel {0}: dom0 client gone, listening again", config.name());
        }
    }

    private void serve(AFUNIXSocket sock, int fd, byte[] buf) {
        try {
            InputStream in = sock.getInputStream();
            while (true) {
                int room = awaitRoomToGuest(sock, fd);
                if (room == 0) {
                    break;
                }
                int n = in.read(buf, 0, room);
                if (n < 0) {
                    break;
                }
                lock.lock();
                try {
                    toGuest.append(buf, 0, n);
                } finally {
                    lock.unlock();
                }
                wake.wake();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "channel {0}: dom0 read ended: {1}", config.name(), e.getMessage());
        } finally {
            lock.lock();
            try {
                if (client == sock) {
                    client = null;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
            closeQuietly(sock);
        }
    }

    /**
     * Waits until the dom0-to-guest ring has room, as QEMU reads its socket only as far as the
     * ring has room. Returns that room (at most one ring), or 0 when this client is to be let go:
     * dropped, shut down, or hung up while we were not reading it (QEMU watches for hang-up
     * separately, so a client that leaves while the guest is stalled does not block the next).
     */
    private int awaitRoomToGuest(AFUNIXSocket sock, int fd) throws IOException {
        lock.lock();
        try {
            while (!closing && client == sock && toGuest.free() == 0) {
                changed.awaitNanos(HANGUP_CHECK_NANOS);
                if (toGuest.free() == 0 && fd >= 0 && (PollSet.pending(fd, (short) 0) & Libc.POLLHUP) != 0) {
                    return 0;
                }
            }
            if (closing || client != sock) {
                return 0;
            }
            return toGuest.free();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    private static int nativeFd(AFUNIXSocket sock) {
        try {
            return FileDescriptorCast.using(sock.getFileDescriptor()).as(Integer.class);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "no native descriptor for a dom0 client: hang-up only seen when read", e);
            return -1;
        }
    }

    /**
     * Moves guest output to dom0: from the ring (paced, at most 2048 bytes at a time) to the
     * client, or into the backlog while none is connected; the backlog goes first to a new client.
     */
    private void dom0WriteLoop() {
        byte[] chunk = new byte[Direction.TO_DOM0.ringBytes()];
        while (true) {
            AFUNIXSocket target;
            int n;
            boolean fromRing;
            lock.lock();
            try {
                while (true) {
                    if (closing) {
                        return;
                    }
                    if (!stalledToDom0 && client != null && backlog.size() > 0) {
                        n = backlog.take(chunk, chunk.length);
                        target = client;
                        fromRing = false;
                        break;
                    }
                    if (!stalledToDom0 && toDom0.size() > 0) {
                        int want = Math.min(chunk.length, toDom0.size());
                        long wait = toDom0Pace.nanosUntilAvailable(want);
                        if (wait > 0) {
                            changed.awaitNanos(wait);
                            continue;
                        }
                        n = toDom0.take(chunk, want);
                        toDom0Pace.consume(n);
                        if (corruptToDom0) {
                            chunk[0] ^= (byte) 0xff;
                            corruptToDom0 = false;
                        }
                        fromRing = true;
                        if (client == null) {
                            int dropped = backlog.appendDroppingOldest(chunk, 0, n);
                            if (dropped > 0) {
                                counters.droppedToDom0.addAndGet(dropped);
                            }
                            wake.wake();
                            continue;
                        }
                        target = client;
                        break;
                    }
                    changed.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (fromRing) {
                wake.wake(); // the ring has room for more guest output
            }
            try {
                target.getOutputStream().write(chunk, 0, n);
                counters.delivered(Direction.TO_DOM0, n);
            } catch (IOException e) {
                lock.lock();
                try {
                    // The peer is gone: keep the chunk for the next client, as QEMU keeps unsent output.
                    if (!closing && backlog.free() >= n) {
                        backlog.prepend(chunk, 0, n);
                    }
                    if (client == target) {
                        client = null;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                closeQuietly(target);
            }
        }
    }

    // ---- guest side ----

    private void guestLoop() {
        try {
            runGuestLoop();
        } catch (IOException e) {
            if (!isClosing()) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void runGuestLoop() throws IOException {
        byte[] readBuf = new byte[Direction.TO_DOM0.ringBytes()];
        byte[] writeBuf = new byte[Direction.TO_GUEST.ringBytes()];
        PollSet polls = new PollSet(2);
        int master = pty.masterFd();
        while (true) {
            boolean open;
            int room;
            int writeLen = 0;
            long paceNanos = -1;
            lock.lock();
            try {
                if (closing) {
                    return;
                }
                open = deviceOpen;
                room = toDom0.free();
                if (open && !stalledToGuest && toGuest.size() > 0) {
                    int want = Math.min(writeBuf.length, toGuest.size());
                    long wait = toGuestPace.nanosUntilAvailable(want);
                    if (wait == 0) {
                        writeLen = want;
                    } else {
                        paceNanos = wait;
                    }
                }
            } finally {
                lock.unlock();
            }

            if (!open) {
                if (room > 0) {
                    // What the guest wrote before closing is still readable from the master.
                    readFromGuest(readBuf, room);
                }
                polls.set(0, master, (short) 0);
                polls.poll(1, 0);
                if ((polls.revents(0) & Libc.POLLHUP) == 0) { // the agent opened the device
                    setDeviceOpen(true);
                    continue;
                }
                polls.set(0, wake.readFd(), Libc.POLLIN);
                polls.poll(1, CLOSED_DEVICE_CHECK_MILLIS);
                wake.drain();
                continue;
            }

            short events = (short) ((room > 0 ? Libc.POLLIN : 0) | (writeLen > 0 ? Libc.POLLOUT : 0));
            polls.set(0, master, events);
            polls.set(1, wake.readFd(), Libc.POLLIN);
            int timeout = paceNanos < 0 ? -1 : (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(paceNanos + 999_999));
            polls.poll(2, timeout);
            wake.drain();
            int rev = polls.revents(0);
            if ((rev & Libc.POLLNVAL) != 0) {
                throw new IOException("pty master of " + pty.slavePath() + " is not open");
            }
            boolean hungUp = (rev & Libc.POLLHUP) != 0;
            if (room > 0 && (rev & (Libc.POLLIN | Libc.POLLHUP | Libc.POLLERR)) != 0) {
                int n = readFromGuest(readBuf, room);
                if (n > 0) {
                    hungUp = false; // drain what the guest wrote before treating the close
                }
            }
            if (!hungUp && writeLen > 0 && (rev & Libc.POLLOUT) != 0) {
                hungUp = writeToGuest(writeBuf, writeLen) == Pty.SLAVE_CLOSED;
            }
            if (hungUp) {
                setDeviceOpen(false);
            }
        }
    }

    /** Reads guest output into the ring; returns the count, or a {@link Pty} status. */
    private int readFromGuest(byte[] readBuf, int room) throws IOException {
        int n = pty.read(readBuf, Math.min(room, readBuf.length));
        if (n > 0) {
            lock.lock();
            try {
                toDom0.append(readBuf, 0, n);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        return n;
    }

    /** Writes the front of the dom0-to-guest ring into the pty; the ring keeps what did not go. */
    private int writeToGuest(byte[] writeBuf, int len) throws IOException {
        boolean corrupt;
        lock.lock();
        try {
            toGuest.peek(writeBuf, len);
            corrupt = corruptToGuest;
        } finally {
            lock.unlock();
        }
        if (corrupt) {
            writeBuf[0] ^= (byte) 0xff;
        }
        int n = pty.write(writeBuf, len);
        if (n > 0) {
            lock.lock();
            try {
                toGuest.discard(n);
                toGuestPace.consume(n);
                if (corrupt) {
                    corruptToGuest = false;
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            counters.delivered(Direction.TO_GUEST, n);
        }
        return n;
    }

    private void setDeviceOpen(boolean open) throws IOException {
        if (!open) {
            if (slaveOpenAgain()) {
                // A quick restart: the agent opened the device again (and may have made it raw) before this
                // thread saw the close. hvc resets at the close itself, before any new open, so resetting
                // now would undo the new agent's raw mode, which no real channel does.
                LOG.log(Level.INFO, "channel {0}: guest device closed and opened again", config.name());
                return;
            }
            // hvc resets the console to cooked when its last descriptor closes.
            pty.resetToCooked();
        }
        lock.lock();
        try {
            deviceOpen = open;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.log(Level.INFO, "channel {0}: guest device {1}", config.name(), open ? "opened" : "closed");
    }

    // ---- helpers ----

    /** Whether the pty's slave is open (no hang-up on the master), checked without waiting. */
    private boolean slaveOpenAgain() throws IOException {
        PollSet check = new PollSet(1);
        check.set(0, pty.masterFd(), (short) 0);
        check.poll(1, 0);
        return (check.revents(0) & Libc.POLLHUP) == 0;
    }

    private ByteQueue queue(Direction direction) {
        return direction == Direction.TO_GUEST ? toGuest : toDom0;
    }

    private boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "close failed: {0}", e.getMessage());
        }
    }
}
