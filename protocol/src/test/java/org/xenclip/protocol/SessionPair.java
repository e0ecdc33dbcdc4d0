package org.xenclip.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A server and a client session wired back to back through an in-memory channel with a fake clock. Bytes in
 * flight stay queued across restarts of either end, the way QEMU buffers the guest's output and the ring
 * keeps dom0's bytes: stale bytes reach whoever reads next.
 */
final class SessionPair {

    /** The clock advances in steps of this size while waiting for a condition. */
    static final long TICK_MILLIS = 50;

    final SessionConfig config;
    long now = 1_000_000;
    ServerSession server;
    ClientSession client;
    final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    final List<SessionEvent> serverEvents = new ArrayList<>();
    final List<SessionEvent> clientEvents = new ArrayList<>();

    SessionPair(SessionConfig config) {
        this.config = config;
    }

    SessionPair() {
        this(SessionConfig.defaults());
    }

    SessionPair startServer() {
        server = new ServerSession(config);
        fromServer(server.start(now));
        return this;
    }

    SessionPair startClient() {
        client = new ClientSession(config);
        fromClient(client.start(now));
        return this;
    }

    void fromServer(SessionOutput out) {
        toClient.writeBytes(out.toWrite());
        serverEvents.addAll(out.events());
    }

    void fromClient(SessionOutput out) {
        toServer.writeBytes(out.toWrite());
        clientEvents.addAll(out.events());
    }

    /** Moves every byte in flight to its reader until both directions are quiet. */
    void deliver() {
        for (int round = 0; round < 100 && (toClient.size() > 0 || toServer.size() > 0); round++) {
            deliverToClient(Integer.MAX_VALUE);
            deliverToServer(Integer.MAX_VALUE);
        }
    }

    void deliverToClient(int maxBytes) {
        if (client == null) {
            return; // no reader: the bytes wait, as they do in the ring
        }
        byte[] all = takeAll(toClient);
        int n = Math.min(maxBytes, all.length);
        toClient.write(all, n, all.length - n);
        if (n > 0) {
            fromClient(client.onBytes(all, 0, n, now));
        }
    }

    void deliverToServer(int maxBytes) {
        if (server == null) {
            return; // no dom0 client: QEMU keeps the guest's output for the next one
        }
        byte[] all = takeAll(toServer);
        int n = Math.min(maxBytes, all.length);
        toServer.write(all, n, all.length - n);
        if (n > 0) {
            fromServer(server.onBytes(all, 0, n, now));
        }
    }

    private static byte[] takeAll(ByteArrayOutputStream b) {
        byte[] all = b.toByteArray();
        b.reset();
        return all;
    }

    /** Advances the clock by {@code millis}, ticking both sessions whenever a deadline falls due. */
    void advance(long millis) {
        long end = now + millis;
        while (now < end) {
            now = Math.min(end, now + TICK_MILLIS);
            tick();
        }
    }

    void tick() {
        if (server != null && server.nextDeadlineMillis() <= now) {
            fromServer(server.onTick(now));
        }
        if (client != null && client.nextDeadlineMillis() <= now) {
            fromClient(client.onTick(now));
        }
        deliver();
    }

    /** Runs the clock until the condition holds; returns the milliseconds it took, or fails after the limit. */
    long runUntil(BooleanSupplier condition, long limitMillis) {
        long start = now;
        deliver();
        while (!condition.getAsBoolean()) {
            if (now - start > limitMillis) {
                throw new AssertionError("condition not met within " + limitMillis + " ms; server "
                        + (server == null ? "absent" : server.state()) + ", client "
                        + (client == null ? "absent" : client.state()) + ", server events " + serverEvents
                        + ", client events " + clientEvents);
            }
            advance(TICK_MILLIS);
        }
        return now - start;
    }

    boolean bothEstablished() {
        return server != null && client != null && server.isEstablished() && client.isEstablished();
    }

    boolean bothExtended() {
        return bothEstablished() && server.isExtendedClipboard() && client.isExtendedClipboard();
    }

    /** Waits for the handshake and, when configured, the Extended Clipboard on both sides. */
    long establish(long limitMillis) {
        return runUntil(config.extendedClipboard() ? this::bothExtended : this::bothEstablished, limitMillis);
    }

    static List<ClipboardText> texts(List<SessionEvent> events) {
        List<ClipboardText> texts = new ArrayList<>();
        for (SessionEvent e : events) {
            if (e instanceof SessionEvent.TextReceived t) {
                texts.add(t.text());
            }
        }
        return texts;
    }

    static <T extends SessionEvent> List<T> ofType(List<SessionEvent> events, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (SessionEvent e : events) {
            if (type.isInstance(e)) {
                found.add(type.cast(e));
            }
        }
        return found;
    }

    static byte[] concat(byte[]... parts) {
        int n = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[n];
        int pos = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        return all;
    }
}
