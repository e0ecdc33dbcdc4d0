package org.xenclip.protocol.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.xenclip.protocol.ClientSession;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * Drives a {@link ClientSession} over a real TCP socket the way the guest agent's I/O loop will: one thread
 * owns the session, feeds it every byte read with the monotonic time, calls onTick at its deadline and writes
 * what it returns. Tests talk to it only through a task queue and an event queue.
 */
final class SocketClientDriver implements AutoCloseable {

    /** How long a read blocks before the loop looks at its tasks and timers again. */
    private static final int READ_SLICE_MILLIS = 20;

    private static final long FAILURE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Socket socket;
    private final ClientSession session;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Function<Long, SessionOutput>> tasks = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
    private final List<SessionEvent> seen = new ArrayList<>();
    private volatile boolean established;
    private volatile boolean extended;
    private volatile Throwable failure;
    private volatile boolean closing;

    private SocketClientDriver(Socket socket, SessionConfig config) {
        this.socket = socket;
        this.session = new ClientSession(config);
        this.loop = new Thread(this::run, "rfb-client-io");
        this.loop.setDaemon(true);
    }

    /** Connects (retrying until the deadline: the server may still be binding) and starts the I/O thread. */
    static SocketClientDriver connect(int port, SessionConfig config, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        do {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(READ_SLICE_MILLIS);
                SocketClientDriver driver = new SocketClientDriver(socket, config);
                driver.loop.start();
                return driver;
            } catch (IOException e) {
                socket.close();
                last = e;
            }
        } while (System.nanoTime() < deadline);
        throw last;
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private void run() {
        byte[] buf = new byte[8192];
        try (InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            write(out, session.start(nowMillis()));
            while (!closing) {
                Function<Long, SessionOutput> task;
                while ((task = tasks.poll()) != null) {
                    write(out, task.apply(nowMillis()));
                }
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    n = 0;
                }
                if (n < 0) {
                    throw new IOException("Xvnc closed the connection");
                }
                if (n > 0) {
                    write(out, session.onBytes(buf, 0, n, nowMillis()));
                }
                long now = nowMillis();
                if (now >= session.nextDeadlineMillis()) {
                    write(out, session.onTick(now));
                }
            }
        } catch (Throwable t) {
            if (!closing) {
                failure = t;
            }
        }
    }

    private void write(OutputStream out, SessionOutput output) throws IOException {
        if (output.toWrite().length > 0) {
            out.write(output.toWrite());
            out.flush();
        }
        established = session.isEstablished();
        extended = session.isExtendedClipboard();
        events.addAll(output.events());
    }

    /** Hands the text to the session on its own thread. */
    void sendText(ClipboardText text) {
        tasks.add(now -> session.sendText(text, now));
    }

    boolean isEstablished() {
        return established;
    }

    boolean isExtendedClipboard() {
        return extended;
    }

    /**
     * Waits for the first event (in order of arrival, consuming the ones before it) that matches, or fails
     * with what was seen instead.
     */
    <E extends SessionEvent> E await(Class<E> type, Predicate<E> match, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            // In slices, so that a dead I/O loop fails the wait at once rather than at the deadline.
            SessionEvent e = left > 0 ? events.poll(Math.min(left, FAILURE_CHECK_NANOS), TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                if (left > 0 && failure == null) {
                    continue;
                }
                throw new AssertionError(
                        (failure != null ? "I/O loop failed while" : "timed out after " + timeout)
                                + " waiting for " + what + "; events seen: " + seen
                                + (failure != null ? "; failure: " + failure : ""),
                        failure);
            }
            seen.add(e);
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    /** Events seen so far by {@link #await}, for assertions that something did not happen. */
    List<SessionEvent> seen() {
        return List.copyOf(seen);
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the test is being torn down: leave the loop to its daemon fate
        }
    }
}
