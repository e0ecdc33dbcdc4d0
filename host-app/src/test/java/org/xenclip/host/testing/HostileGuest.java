package org.xenclip.host.testing;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.xenclip.protocol.ClientSession;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * A VM that misbehaves: a listening socket like QEMU's whose "agent" runs a {@link Behaviour} on every
 * connection, usually a real handshake followed by something hostile. Counts connections, so tests see dom0
 * drop and retry.
 */
public final class HostileGuest implements AutoCloseable {

    /** What the hostile agent does with one connection. */
    @FunctionalInterface
    public interface Behaviour {
        void run(AFUNIXSocket socket, InputStream in, OutputStream out) throws IOException;
    }

    private final AFUNIXServerSocket server;
    private final Path socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);

    public HostileGuest(String name, Path socket, Behaviour behaviour) throws IOException {
        this.socket = socket;
        Files.deleteIfExists(socket);
        server = AFUNIXServerSocket.newInstance();
        server.bind(AFUNIXSocketAddress.of(socket));
        thread = new Thread(
                () -> {
                    while (!closed) {
                        try (AFUNIXSocket s = server.accept()) {
                            connections.incrementAndGet();
                            behaviour.run(s, s.getInputStream(), s.getOutputStream());
                        } catch (IOException e) {
                            // dom0 dropped us, or we were closed: take the next connection
                        }
                    }
                },
                "hostile-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public Path socket() {
        return socket;
    }

    public int connections() {
        return connections.get();
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    /**
     * Runs a real client handshake (with or without the Extended Clipboard) until the session is
     * established and, when asked, the extension is on. Returns the session for further honest use.
     */
    public static ClientSession handshake(AFUNIXSocket s, InputStream in, OutputStream out, boolean extended)
            throws IOException {
        ClientSession session = new ClientSession(SessionConfig.defaults().withExtendedClipboard(extended));
        write(out, session.start(now()));
        s.setSoTimeout(20);
        byte[] buf = new byte[4096];
        long deadline = now() + 10_000;
        while (!(session.isEstablished() && (!extended || session.isExtendedClipboard()))) {
            if (now() > deadline) {
                throw new IOException("handshake did not complete");
            }
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                n = 0;
            }
            if (n < 0) {
                throw new IOException("dom0 closed during the handshake");
            }
            if (n > 0) {
                write(out, session.onBytes(buf, 0, n, now()));
            }
            if (now() >= session.nextDeadlineMillis()) {
                write(out, session.onTick(now()));
            }
        }
        s.setSoTimeout(0);
        return session;
    }

    private static void write(OutputStream out, SessionOutput o) throws IOException {
        out.write(o.toWrite());
        out.flush();
        for (SessionEvent e : o.events()) {
            if (e instanceof SessionEvent.ProtocolError p) {
                throw new IOException("dom0 broke the protocol: " + p.message());
            }
        }
    }

    /** Blocks until dom0 closes the connection, reading (and ignoring) what it sends. */
    public static void drainUntilClosed(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        while (in.read(buf) >= 0) {
            // ignore
        }
    }

    /** A legacy ClientCutText header claiming {@code length} bytes (protocol.md 3). */
    public static byte[] cutTextHeader(long length) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeByte(6);
        d.write(new byte[3]);
        d.writeInt((int) length);
        return b.toByteArray();
    }

    /** Parks the hostile agent (holding its connection, reading nothing) until the test ends. */
    public void idleUntilClosed() {
        try {
            closing.await(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        closing.countDown();
        server.close();
        Files.deleteIfExists(socket);
    }
}
