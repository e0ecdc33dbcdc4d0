package org.xenclip.protocol.fuzz;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.xenclip.protocol.ClientSession;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.ServerSession;
import org.xenclip.protocol.Session;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;
import org.xenclip.protocol.roundtrip.SessionPair;

/**
 * One fuzz execution: a session of either role, fresh or already established with a real peer, is fed an
 * arbitrary byte stream in chunks, with the clock moving between chunks, then left alone long enough for
 * every timeout to fire. Any exception is a finding (the sessions report protocol errors as events, and
 * {@code sendText} throws only for text over the cap, which this harness never sends); so is any output
 * that breaks the configured limits.
 *
 * <p>Input layout, chosen so that a protocol vector prefixed with two bytes is a meaningful seed:
 *
 * <ul>
 *   <li>byte 0, the mode: bit 0 role (0 server under test, 1 client); bits 1-2 prelude (0 fresh, 1
 *       established without the extension, 2 and 3 established with it); bit 3 whether a fresh session
 *       offers the extension; bits 4-5 clock step per chunk (0, 100 ms, 1.5 s, 3 s); bit 6 send a text
 *       halfway; bit 7 refuse incoming text ({@link Session#setAcceptIncoming}).
 *   <li>byte 1, chunk size: 0 feeds the rest at once, otherwise chunks of that many bytes.
 *   <li>the rest: the bytes the peer sends.
 * </ul>
 */
final class FuzzHarness {

    /** Small, so that oversize paths are reached by short inputs. */
    static final long MAX_PAYLOAD = 512;

    static final int MAX_STRING = 64;

    /**
     * Heap a session may allocate for one call: a fixed allowance for buffers and the inflater's window,
     * plus a multiple of what it was given. A session that sized a buffer from a length field before checking
     * it, or inflated a bomb past the cap, blows through this.
     */
    private static final long ALLOCATION_ALLOWANCE = 4L << 20;

    private static final long ALLOCATION_PER_INPUT_BYTE = 64;

    /** Bytes a session may write in answer to one call: a handshake step, a caps, a notify or a provide. */
    private static final long OUTPUT_ALLOWANCE = 2 * MAX_PAYLOAD + 4096;

    /** Calls of onTick at one instant after which a deadline not in the future counts as a spin. */
    private static final int MAX_CALLS_AT_ONE_INSTANT = 3;

    private static final long[] CLOCK_STEPS = {0, 100, 1_500, 3_000};

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();

    private static final long T0 = 1_700_000_000_000L;

    static {
        // Load and initialise the sessions' classes once, so that class initialisation is not counted against
        // the first measured call. A failure here shows again, with its stack trace, in the real run.
        for (byte mode : new byte[] {0, 1, 4, 5}) {
            try {
                run(new byte[] {mode, 0, 'R', 'F', 'B'});
            } catch (RuntimeException | AssertionError ignored) {
                // reported by the execution that hits it
            }
        }
    }

    private FuzzHarness() {}

    static SessionConfig config(boolean extended) {
        return new SessionConfig(
                MAX_PAYLOAD,
                MAX_STRING,
                SessionConfig.DEFAULT_SPEAK_FIRST_AFTER,
                SessionConfig.DEFAULT_HANDSHAKE_TIMEOUT,
                SessionConfig.DEFAULT_STALL_TIMEOUT,
                extended,
                "fuzz");
    }

    static void run(byte[] input) {
        int mode = input.length > 0 ? input[0] & 0xFF : 0;
        int chunk = input.length > 1 ? input[1] & 0xFF : 0;
        int offset = Math.min(2, input.length);
        boolean clientUnderTest = (mode & 1) != 0;
        int prelude = (mode >> 1) & 3;
        boolean freshExtended = (mode & 8) != 0;
        long step = CLOCK_STEPS[(mode >> 4) & 3];
        boolean sendHalfway = (mode & 0x40) != 0;
        boolean refuseIncoming = (mode & 0x80) != 0;

        Checker checker = new Checker();
        Session session;
        long now;
        if (prelude == 0) {
            session = clientUnderTest
                    ? new ClientSession(config(freshExtended))
                    : new ServerSession(config(freshExtended));
            now = T0;
            checker.accept(session.start(now), 0);
        } else {
            boolean extended = prelude >= 2;
            SessionPair pair = new SessionPair(config(extended), config(extended), T0);
            pair.start();
            pair.establish();
            session = clientUnderTest ? pair.client() : pair.server();
            now = pair.now();
        }
        session.setAcceptIncoming(!refuseIncoming);

        int length = input.length - offset;
        int chunkSize = chunk == 0 ? Math.max(1, length) : chunk;
        int half = offset + length / 2;
        boolean sent = false;
        for (int pos = offset; pos < input.length; pos += chunkSize) {
            int n = Math.min(chunkSize, input.length - pos);
            if (sendHalfway && !sent && pos >= half) {
                sent = true;
                checker.accept(session.sendText(ClipboardText.of("fuzz h\u00e9llo \u20ac \uD83D\uDE00\n"), now), 0);
            }
            long classesBefore = CLASSES.getTotalLoadedClassCount();
            long before = THREADS.getCurrentThreadAllocatedBytes();
            SessionOutput out = session.onBytes(input, pos, n, now);
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            // Loading (and, while fuzzing, instrumenting) a class allocates on the calling thread: such a call
            // measures the class loader, not the session.
            if (CLASSES.getTotalLoadedClassCount() == classesBefore) {
                checker.allocation(allocated, n);
            }
            checker.accept(out, n);
            if (step > 0) {
                now += step;
                checker.accept(session.onTick(now), 0);
                checker.progress(session, now);
            }
        }
        // Let every timer of the profile fire: speak first, handshake restart, stalled message.
        long quietUntil = now + 4 * maxTimeout();
        int ticks = 0;
        while (now < quietUntil && ticks++ < 64) {
            long deadline = session.nextDeadlineMillis();
            now = deadline == Long.MAX_VALUE ? quietUntil : Math.max(deadline, now + 1);
            checker.accept(session.onTick(now), 0);
            checker.progress(session, now);
        }
    }

    private static long maxTimeout() {
        return List.of(
                        SessionConfig.DEFAULT_SPEAK_FIRST_AFTER,
                        SessionConfig.DEFAULT_HANDSHAKE_TIMEOUT,
                        SessionConfig.DEFAULT_STALL_TIMEOUT)
                .stream()
                .mapToLong(Duration::toMillis)
                .max()
                .orElseThrow();
    }

    /** The invariants every output must keep. */
    private static final class Checker {

        void accept(SessionOutput out, int fed) {
            if (out == null) {
                throw new AssertionError("session returned null instead of SessionOutput.NOTHING");
            }
            if (out.toWrite().length > OUTPUT_ALLOWANCE + fed) {
                throw new AssertionError(
                        "session wrote " + out.toWrite().length + " bytes in answer to " + fed + " bytes");
            }
            for (SessionEvent e : out.events()) {
                check(e);
            }
        }

        private static void check(SessionEvent e) {
            if (e instanceof SessionEvent.TextReceived t) {
                // Every encoding the profile uses has at least one byte per char.
                if (t.text().text().length() > MAX_PAYLOAD) {
                    throw new AssertionError("delivered " + t.text() + " over the cap " + MAX_PAYLOAD);
                }
                // A CRLF inside is legal (a CR before a wire line end), but the text must survive the trip
                // back to the extended wire unchanged: the two conversions are exact inverses.
                if (!ClipboardText.fromCrlfWire(t.text().toCrlfWire()).equals(t.text())) {
                    throw new AssertionError("delivered " + t.text() + " does not survive the extended wire");
                }
            } else if (e instanceof SessionEvent.OversizeDropped o) {
                if (o.size() <= o.limit() || o.limit() < 0) {
                    throw new AssertionError("oversize event with size " + o.size() + " and limit " + o.limit());
                }
            } else if (e instanceof SessionEvent.NoiseDiscarded d) {
                if (d.byteCount() < 0) {
                    throw new AssertionError("negative noise count " + d.byteCount());
                }
            } else if (e instanceof SessionEvent.StalledMessageDropped s) {
                if (s.bytesReceived() < 0) {
                    throw new AssertionError("negative stalled byte count " + s.bytesReceived());
                }
            } else if (e instanceof SessionEvent.ProtocolError p) {
                if (p.message() == null || p.message().isBlank()) {
                    throw new AssertionError("protocol error without a message");
                }
                if (p.message().getBytes(StandardCharsets.UTF_8).length > 16 * 1024) {
                    throw new AssertionError("protocol error message of unbounded length");
                }
            } else if (e == null) {
                throw new AssertionError("null event");
            }
        }

        void allocation(long allocated, int fed) {
            long bound = ALLOCATION_ALLOWANCE + ALLOCATION_PER_INPUT_BYTE * fed;
            if (allocated > bound) {
                throw new AssertionError("one onBytes call of " + fed + " bytes allocated " + allocated
                        + " bytes of heap, more than " + bound + " (limits: payload " + MAX_PAYLOAD + ", string "
                        + MAX_STRING + ")");
            }
        }

        /**
         * An owner calls onTick again at once when the deadline has passed. One more call may be due (a timer
         * whose firing arms another that is already due), but if the deadline is still not after now after
         * a few calls at the same instant, the owner's loop would spin.
         */
        void progress(Session session, long now) {
            for (int call = 1; session.nextDeadlineMillis() <= now; call++) {
                if (call > MAX_CALLS_AT_ONE_INSTANT) {
                    throw new AssertionError(
                            "after " + (call - 1) + " onTick(" + now + ") calls the next deadline is still "
                                    + session.nextDeadlineMillis() + ": the owner's loop would spin");
                }
                accept(session.onTick(now), 0);
            }
        }
    }
}
