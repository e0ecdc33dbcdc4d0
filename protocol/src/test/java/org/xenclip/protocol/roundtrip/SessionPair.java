package org.xenclip.protocol.roundtrip;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.xenclip.protocol.ClientSession;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.ServerSession;
import org.xenclip.protocol.Session;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;

/**
 * A server and a client session wired back to back through two in-memory byte queues, with a fake
 * clock. Bytes move only when {@link #pump} is called, in chunks whose sizes a test chooses, so the
 * same pair serves the round-trip properties (any split of the stream), the fuzz test (a real peer to
 * reach the established state) and the benchmarks.
 *
 * <p>Owned by the test thread that created it; not thread-safe, like the sessions it drives.
 */
public final class SessionPair {

    /**
     * Upper bound on delivery rounds before a pump is declared a livelock. Generous: a 1 MiB text cut
     * into one-byte chunks takes about a million rounds.
     */
    private static final long MAX_ROUNDS = 20_000_000L;

    /** Upper bound on timer firings while waiting for the handshake; the profile needs a handful. */
    private static final int MAX_TICKS = 1_000;

    private final ServerSession server;
    private final ClientSession client;
    private final ByteQueue toClient = new ByteQueue();
    private final ByteQueue toServer = new ByteQueue();
    private final List<SessionEvent> serverEvents = new ArrayList<>();
    private final List<SessionEvent> clientEvents = new ArrayList<>();
    private long now;

    public SessionPair(SessionConfig serverConfig, SessionConfig clientConfig, long startMillis) {
        this.server = new ServerSession(serverConfig);
        this.client = new ClientSession(clientConfig);
        this.now = startMillis;
    }

    public ServerSession server() {
        return server;
    }

    public ClientSession client() {
        return client;
    }

    public long now() {
        return now;
    }

    /** Events the server reported since the last {@link #takeServerEvents}. */
    public List<SessionEvent> takeServerEvents() {
        List<SessionEvent> copy = List.copyOf(serverEvents);
        serverEvents.clear();
        return copy;
    }

    /** Events the client reported since the last {@link #takeClientEvents}. */
    public List<SessionEvent> takeClientEvents() {
        List<SessionEvent> copy = List.copyOf(clientEvents);
        clientEvents.clear();
        return copy;
    }

    /** Opens both transports at the same instant, as a freshly connected channel does. */
    public void start() {
        acceptFromServer(server.start(now));
        acceptFromClient(client.start(now));
    }

    public void serverSends(SessionOutput out) {
        acceptFromServer(out);
    }

    public void clientSends(SessionOutput out) {
        acceptFromClient(out);
    }

    /** Bytes the server wrote that the client has not been fed yet. */
    public int pendingToClient() {
        return toClient.size();
    }

    /** Bytes the client wrote that the server has not been fed yet. */
    public int pendingToServer() {
        return toServer.size();
    }

    /**
     * Moves bytes both ways until neither side has anything left to say, without advancing the clock.
     * Each delivery hands the receiver {@code chunkSizes.getAsInt()} bytes (at least one).
     */
    public void pump(IntSupplier chunkSizes) {
        long rounds = 0;
        while (toClient.size() > 0 || toServer.size() > 0) {
            if (++rounds > MAX_ROUNDS) {
                throw new AssertionError("sessions did not go quiet after " + MAX_ROUNDS + " delivery rounds ("
                        + toClient.size() + " bytes queued to the client, " + toServer.size()
                        + " to the server)");
            }
            if (toClient.size() > 0) {
                byte[] chunk = toClient.take(Math.max(1, chunkSizes.getAsInt()));
                acceptFromClient(client.onBytes(chunk, 0, chunk.length, now));
            }
            if (toServer.size() > 0) {
                byte[] chunk = toServer.take(Math.max(1, chunkSizes.getAsInt()));
                acceptFromServer(server.onBytes(chunk, 0, chunk.length, now));
            }
        }
    }

    /**
     * Like {@link #pump(IntSupplier)}, but the fake clock moves {@code stepMillis} before every delivery and
     * each side's timers fire whenever their deadline has passed, as an owner's loop would do: a slow link.
     */
    public void pumpSlowly(IntSupplier chunkSizes, long stepMillis) {
        long rounds = 0;
        while (toClient.size() > 0 || toServer.size() > 0) {
            if (++rounds > MAX_ROUNDS) {
                throw new AssertionError("sessions did not go quiet after " + MAX_ROUNDS + " delivery rounds");
            }
            now += stepMillis;
            if (now >= server.nextDeadlineMillis()) {
                acceptFromServer(server.onTick(now));
            }
            if (now >= client.nextDeadlineMillis()) {
                acceptFromClient(client.onTick(now));
            }
            if (toClient.size() > 0) {
                byte[] chunk = toClient.take(Math.max(1, chunkSizes.getAsInt()));
                acceptFromClient(client.onBytes(chunk, 0, chunk.length, now));
            }
            if (toServer.size() > 0) {
                byte[] chunk = toServer.take(Math.max(1, chunkSizes.getAsInt()));
                acceptFromServer(server.onBytes(chunk, 0, chunk.length, now));
            }
        }
    }

    /** {@link #pump(IntSupplier)} with whole writes delivered at once. */
    public void pump() {
        pump(() -> Integer.MAX_VALUE);
    }

    /**
     * Pumps, and fires the sessions' timers by jumping the fake clock to the earliest deadline, until
     * both sides are established. Fails if that takes more than {@link #MAX_TICKS} timer firings.
     */
    public void establish(IntSupplier chunkSizes) {
        pump(chunkSizes);
        int ticks = 0;
        while (!(server.isEstablished() && client.isEstablished())) {
            if (++ticks > MAX_TICKS) {
                throw new AssertionError("no established session after " + MAX_TICKS + " timer firings: server "
                        + server.isEstablished() + ", client " + client.isEstablished() + ", server events "
                        + serverEvents + ", client events " + clientEvents);
            }
            long deadline = Math.min(server.nextDeadlineMillis(), client.nextDeadlineMillis());
            if (deadline == Long.MAX_VALUE) {
                throw new AssertionError("handshake stuck with no timer pending: server " + server.isEstablished()
                        + ", client " + client.isEstablished() + ", server events " + serverEvents
                        + ", client events " + clientEvents);
            }
            now = Math.max(now, deadline);
            acceptFromServer(server.onTick(now));
            acceptFromClient(client.onTick(now));
            pump(chunkSizes);
        }
    }

    public void establish() {
        establish(() -> Integer.MAX_VALUE);
    }

    /** Moves the fake clock forward and fires both sessions' timers once. */
    public void advance(long millis) {
        now += millis;
        acceptFromServer(server.onTick(now));
        acceptFromClient(client.onTick(now));
    }

    private void acceptFromServer(SessionOutput out) {
        Objects.requireNonNull(out, "server returned null output");
        toClient.put(out.toWrite());
        serverEvents.addAll(out.events());
    }

    private void acceptFromClient(SessionOutput out) {
        Objects.requireNonNull(out, "client returned null output");
        toServer.put(out.toWrite());
        clientEvents.addAll(out.events());
    }

    /** Picks the session of one role, for tests that run the same property in both directions. */
    public Session sender(Direction direction) {
        return direction == Direction.SERVER_TO_CLIENT ? server : client;
    }

    /** Sends text from one side, routing the output into the right queue. */
    public void send(Direction direction, ClipboardText text) {
        if (direction == Direction.SERVER_TO_CLIENT) {
            acceptFromServer(server.sendText(text, now));
        } else {
            acceptFromClient(client.sendText(text, now));
        }
    }

    /** Takes the receiving side's events for a direction. */
    public List<SessionEvent> takeReceiverEvents(Direction direction) {
        return direction == Direction.SERVER_TO_CLIENT ? takeClientEvents() : takeServerEvents();
    }

    /** Which way a clipboard text travels. */
    public enum Direction {
        SERVER_TO_CLIENT,
        CLIENT_TO_SERVER
    }

    /** A FIFO of bytes with cheap appends and reads from the front. */
    private static final class ByteQueue {
        private byte[] buf = new byte[256];
        private int head;
        private int tail;

        int size() {
            return tail - head;
        }

        void put(byte[] data) {
            if (data.length == 0) {
                return;
            }
            if (tail + data.length > buf.length) {
                int size = size();
                byte[] bigger = new byte[Math.max(buf.length, Math.max(256, (size + data.length) * 2))];
                System.arraycopy(buf, head, bigger, 0, size);
                buf = bigger;
                head = 0;
                tail = size;
            }
            System.arraycopy(data, 0, buf, tail, data.length);
            tail += data.length;
        }

        byte[] take(int max) {
            int n = Math.min(max, size());
            byte[] out = new byte[n];
            System.arraycopy(buf, head, out, 0, n);
            head += n;
            if (head == tail) {
                head = 0;
                tail = 0;
            }
            return out;
        }
    }
}
