package org.xenclip.channelsim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** A dom0 app's end in tests: a real junixsocket client. Records the size of every read. */
final class Dom0Client implements AutoCloseable {
    private final AFUNIXSocket socket;
    private final InputStream in;
    private final OutputStream out;
    final List<Integer> readSizes = new ArrayList<>();

    private Dom0Client(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Dom0Client connect(Path socketPath) throws IOException {
        return new Dom0Client(AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath)));
    }

    void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    byte[] read(int n) throws IOException {
        return read(n, Await.DEFAULT);
    }

    /** Reads exactly {@code n} bytes or fails at the deadline. */
    byte[] read(int n, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] result = new byte[n];
        byte[] buf = new byte[65536];
        int got = 0;
        while (got < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + got + " of " + n + " bytes from the socket");
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int r;
            try {
                r = in.read(buf, 0, Math.min(buf.length, n - got));
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (r < 0) {
                throw new IOException("end of stream after " + got + " of " + n + " bytes");
            }
            readSizes.add(r);
            System.arraycopy(buf, 0, result, got, r);
            got += r;
        }
        return result;
    }

    /** Reads until the end of the stream, appending under the stream's lock. */
    void readAllInto(ByteArrayOutputStream sink) throws IOException {
        socket.setSoTimeout(0);
        byte[] buf = new byte[65536];
        int r;
        while ((r = in.read(buf)) >= 0) {
            synchronized (sink) {
                sink.write(buf, 0, r);
            }
        }
    }

    /** Waits for the simulator to close this connection; bytes before the end are discarded. */
    void awaitEndOfStream(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[4096];
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("connection still open after " + timeout);
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            try {
                if (in.read(buf) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // deadline check above
            } catch (IOException e) {
                return; // reset by the peer is an end too
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
