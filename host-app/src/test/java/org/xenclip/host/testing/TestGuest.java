package org.xenclip.host.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.xenclip.protocol.ClientSession;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * A VM as dom0 sees it: a listening Unix socket where QEMU's would be, and a real protocol client (the guest
 * agent's {@link ClientSession}) behind it. Records every byte dom0 wrote, so tests can read the wire.
 * Serves one connection at a time, like QEMU.
 */
public final class TestGuest implements AutoCloseable {

    /** How often the agent loop wakes without input, for the session's timers; they are seconds long. */
    private static final int TICK_MILLIS = 100;

    private final Path socket;
    private final String name;
    private final ByteArrayOutputStream wireFromDom0 = new ByteArrayOutputStream();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<String> toCopy = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytesToDom0 = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger copiesSent = new AtomicInteger();
    private volatile boolean established;
    private volatile long lastReceivedNanos;
    private volatile AFUNIXServerSocket server;
    private volatile AFUNIXSocket current;
    private volatile Thread thread;
    private volatile boolean closed;

    public TestGuest(String name, Path socket) throws IOException {
        this.name = name;
        this.socket = socket;
        listen();
    }

    public Path socket() {
        return socket;
    }

    /** Binds the socket (again) and serves connections, one at a time. */
    public synchronized void listen() throws IOException {
        Files.deleteIfExists(socket);
        AFUNIXServerSocket s = AFUNIXServerSocket.newInstance();
        s.bind(AFUNIXSocketAddress.of(socket));
        server = s;
        Thread t = new Thread(() -> serve(s), "test-guest-" + name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** The VM goes away: the connection closes and the socket file disappears, as when QEMU exits. */
    public synchronized void stop() throws IOException {
        established = false;
        AFUNIXServerSocket s = server;
        server = null;
        if (s != null) {
            s.close();
        }
        AFUNIXSocket c = current;
        if (c != null) {
            c.close();
        }
        Files.deleteIfExists(socket);
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * QEMU drops dom0's client and keeps listening (channel-sim's {@code dropClient()}): the accepted socket
     * closes, the next connection is served as usual.
     */
    public void dropClient() throws IOException {
        AFUNIXSocket c = current;
        if (c != null) {
            c.close();
        }
    }

    /** The peer half-closes: dom0 reads end-of-stream while the agent still reads what dom0 writes. */
    public void halfCloseClient() throws IOException {
        AFUNIXSocket c = current;
        if (c != null) {
            c.shutdownOutput();
        }
    }

    /** The guest user copies {@code text}: the agent sends it to dom0. */
    public void copy(String text) {
        toCopy.add(text);
    }

    /** Texts the agent received from dom0, in order. */
    public List<String> received() {
        return received;
    }

    /** {@link System#nanoTime()} when the last text arrived from dom0. */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** Whether the last text received is {@code text}. */
    public boolean lastReceivedIs(String text) {
        int n = received.size();
        return n > 0 && received.get(n - 1).equals(text);
    }

    public boolean established() {
        return established;
    }

    /** Bytes the agent wrote to dom0 over all connections. */
    public long bytesToDom0() {
        return bytesToDom0.get();
    }

    /** Copies handed to the agent's session and written. */
    public int copiesSent() {
        return copiesSent.get();
    }

    public int connections() {
        return connections.get();
    }

    /** Every byte dom0 wrote to this VM's channel, over all connections. */
    public byte[] wireFromDom0() {
        synchronized (wireFromDom0) {
            return wireFromDom0.toByteArray();
        }
    }

    /** Whether {@code needle} occurs anywhere in what dom0 wrote (UTF-8 or Latin-1 alike for ASCII). */
    public boolean wireContains(String needle) {
        byte[] hay = wireFromDom0();
        byte[] n = needle.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= hay.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (hay[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    private void serve(AFUNIXServerSocket s) {
        while (!closed && !s.isClosed()) {
            try (AFUNIXSocket c = s.accept()) {
                current = c;
                connections.incrementAndGet();
                c.setSoTimeout(TICK_MILLIS);
                runAgent(c.getInputStream(), c.getOutputStream());
            } catch (IOException e) {
                // accept failed because the server socket closed, or the connection broke: serve again
            } finally {
                established = false;
                current = null;
            }
        }
    }

    private void runAgent(InputStream in, OutputStream out) throws IOException {
        ClientSession session = new ClientSession(SessionConfig.defaults());
        write(out, session.start(now()));
        byte[] buf = new byte[65536];
        while (!closed) {
            String copy;
            while (session.isEstablished() && (copy = toCopy.poll()) != null) {
                write(out, session.sendText(ClipboardText.of(copy), now()));
                copiesSent.incrementAndGet();
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                n = 0;
            }
            if (n < 0) {
                return;
            }
            if (n > 0) {
                synchronized (wireFromDom0) {
                    wireFromDom0.write(buf, 0, n);
                }
                write(out, session.onBytes(buf, 0, n, now()));
            }
            if (now() >= session.nextDeadlineMillis()) {
                write(out, session.onTick(now()));
            }
        }
    }

    private void write(OutputStream out, SessionOutput o) throws IOException {
        if (o.toWrite().length > 0) {
            out.write(o.toWrite());
            out.flush();
            bytesToDom0.addAndGet(o.toWrite().length);
        }
        for (SessionEvent e : o.events()) {
            if (e instanceof SessionEvent.Established) {
                established = true;
            } else if (e instanceof SessionEvent.TextReceived t) {
                lastReceivedNanos = System.nanoTime();
                received.add(t.text().text());
            } else if (e instanceof SessionEvent.PeerRestarted) {
                established = false;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        stop();
    }
}
