package org.xenclip.guest.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.ServerSession;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * dom0's side for tests: a real Unix-socket client of the channel (as the host app is) driving a real
 * {@link ServerSession}. Records every text received from the guest; {@link #restart} drops the connection and
 * starts over with a fresh session, as a restarted dom0 app would.
 */
public final class Dom0End implements AutoCloseable {

    /** The loop wakes at least this often to run the session's timers and send queued text. */
    private static final int TICK_MILLIS = 20;

    private final Path socket;
    private final SessionConfig config;
    final List<ClipboardText> received = new CopyOnWriteArrayList<>();
    final List<SessionEvent> events = new CopyOnWriteArrayList<>();
    /** When each received text arrived ({@link System#nanoTime()}), same order as {@link #received}. */
    final List<Long> arrivals = new CopyOnWriteArrayList<>();

    private final ConcurrentLinkedQueue<ClipboardText> toSend = new ConcurrentLinkedQueue<>();
    private volatile boolean established;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile AFUNIXSocket connection;
    private Thread thread;

    Dom0End(Path socket, SessionConfig config) {
        this.socket = socket;
        this.config = config;
    }

    public static Dom0End connect(Path socket) throws IOException {
        return connect(socket, SessionConfig.defaults());
    }

    public static Dom0End connect(Path socket, SessionConfig config) throws IOException {
        Dom0End end = new Dom0End(socket, config);
        end.begin();
        return end;
    }

    private void begin() throws IOException {
        AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket));
        s.setSoTimeout(TICK_MILLIS);
        connection = s;
        established = false;
        ServerSession session = new ServerSession(config);
        thread = new Thread(() -> loop(s, session), "test-dom0");
        thread.setDaemon(true);
        thread.start();
    }

    /** The arrival time ({@link System#nanoTime()}) of the first received text equal to {@code text}, or -1. */
    public long arrivalOf(ClipboardText text) {
        int i = received.indexOf(text);
        return i < 0 ? -1 : arrivals.get(i);
    }

    /** Every text received from the guest, in order. */
    public List<ClipboardText> received() {
        return received;
    }

    public boolean isEstablished() {
        return established;
    }

    public void send(String text) {
        toSend.add(ClipboardText.of(text));
    }

    /** Like a dom0 app that crashed and came back: a new connection and a new session. */
    public void restart() throws IOException {
        stopLoop();
        running.set(true);
        begin();
    }

    private void loop(AFUNIXSocket s, ServerSession session) {
        byte[] buf = new byte[16384];
        try (InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            write(out, session.start(now()));
            while (running.get()) {
                try {
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    write(out, session.onBytes(buf, 0, n, now()));
                } catch (SocketTimeoutException e) {
                    // tick
                }
                ClipboardText t;
                while ((t = toSend.poll()) != null) {
                    write(out, session.sendText(t, now()));
                }
                if (now() >= session.nextDeadlineMillis()) {
                    write(out, session.onTick(now()));
                }
                established = session.isEstablished();
            }
        } catch (IOException e) {
            // connection dropped: the test decides whether that was expected
        }
    }

    private void write(OutputStream out, SessionOutput o) throws IOException {
        if (o.toWrite().length > 0) {
            out.write(o.toWrite());
            out.flush();
        }
        for (SessionEvent e : o.events()) {
            events.add(e);
            if (e instanceof SessionEvent.TextReceived r) {
                arrivals.add(System.nanoTime());
                received.add(r.text());
            }
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private void stopLoop() {
        running.set(false);
        try {
            connection.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopLoop();
    }
}
