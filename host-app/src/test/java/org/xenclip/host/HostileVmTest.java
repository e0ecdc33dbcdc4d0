package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.EngineFixture.awaitState;
import static org.xenclip.host.EngineFixture.status;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.HostileGuest;
import org.xenclip.host.testing.TestGuest;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/**
 * Hostile VMs next to a well-behaved one: each misbehaviour gets the hostile connection dropped with a reason
 * in the VM's status and retried, while dom0 copies keep reaching the good VM. The test JVM runs with a
 * 512 MiB heap (surefire argLine), so a decoder that believed a 4 GiB claim or inflated a bomb would fail.
 */
class HostileVmTest {

    @TempDir
    Path tmp;

    private HostEngine engine;
    private final MemoryClipboard clipboard = new MemoryClipboard();
    private final List<VmStatus> history = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private void run(HostileGuest.Behaviour behaviour, String expectedReasonStart) throws Exception {
        run(behaviour, expectedReasonStart, null);
    }

    private void run(HostileGuest.Behaviour behaviour, String expectedReasonStart, String firstCopy) throws Exception {
        try (TestGuest good = new TestGuest("good", tmp.resolve("good.sock"));
                HostileGuest bad = new HostileGuest("bad", tmp.resolve("bad.sock"), behaviour)) {
            hostile = bad;
            engine = EngineFixture.engine(
                    tmp.resolve("config"),
                    clipboard,
                    List.of(
                            new StaticVm("good", good.socket(), Optional.of(SyncMode.BOTH)),
                            new StaticVm("bad", bad.socket(), Optional.of(SyncMode.BOTH))),
                    Optional.empty());
            engine.addVmListener(
                    list -> list.stream().filter(s -> s.name().equals("bad")).forEach(history::add));
            engine.start();
            awaitState(engine, "good", VmState.CONNECTED);
            if (firstCopy != null) {
                awaitState(engine, "bad", VmState.CONNECTED);
                clipboard.userCopies(firstCopy);
                Await.until("good VM got the first copy", () -> good.received().contains(firstCopy));
            }

            for (int i = 0; i < 5; i++) {
                String text = "copy " + i;
                clipboard.userCopies(text);
                Await.until("good VM got '" + text + "' while the bad one misbehaves", () -> good.received()
                        .contains(text));
            }
            Await.until(
                    "the bad VM's connection dropped with reason '" + expectedReasonStart + "...' (history " + history
                            + ")",
                    Duration.ofSeconds(20),
                    () -> history.stream()
                            .anyMatch(s -> s.state() == VmState.ERROR
                                    && s.lastError().orElse("").startsWith(expectedReasonStart)));
            int errorAt = indexOfError(expectedReasonStart);
            Await.until(
                    "dom0 retried the bad VM after dropping it",
                    Duration.ofSeconds(20),
                    () -> history.subList(indexOfError(expectedReasonStart), history.size()).stream()
                            .anyMatch(s -> s.state() == VmState.CONNECTING || s.state() == VmState.HANDSHAKING));
            assertThat(errorAt).isGreaterThanOrEqualTo(0);
            clipboard.userCopies("after");
            Await.until("good VM still served", () -> good.received().contains("after"));
            assertThat(status(engine, "good").state()).isEqualTo(VmState.CONNECTED);
            good.copy("good vm text");
            Await.until("good VM's text reaches dom0", () -> "good vm text".equals(clipboard.content()));
        }
    }

    private HostileGuest hostile;

    private int indexOfError(String start) {
        for (int i = 0; i < history.size(); i++) {
            VmStatus s = history.get(i);
            if (s.state() == VmState.ERROR && s.lastError().orElse("").startsWith(start)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void vmThatStopsReadingIsDroppedAndRetried() throws Exception {
        // A legacy VM that never reads after its handshake. The megabyte is usually replaced by "copy 0"
        // while the session still waits for the negotiation (only the latest text is kept), so what reaches
        // this VM may be a few small texts that its socket buffer takes without a write ever failing: dom0
        // must see that none of it is read, not wait for its own queue to fill.
        // Just under the 1 MiB cap: the extended wire form adds a NUL that the receiving side counts.
        String big = randomAscii((1 << 20) - 1024);
        run(
                (s, in, out) -> {
                    HostileGuest.handshake(s, in, out, false);
                    hostile.idleUntilClosed();
                },
                "the VM stopped reading: ",
                big);
    }

    @Test
    void vmThatStopsReadingIsDroppedEvenWhenItsSocketBufferTakesEveryText() throws Exception {
        // Only short texts: all of them fit in the kernel's socket buffer, so no write of dom0's ever fails
        // or waits; only the buffer's unread count shows that this VM reads nothing.
        run(
                (s, in, out) -> {
                    HostileGuest.handshake(s, in, out, false);
                    hostile.idleUntilClosed();
                },
                "the VM stopped reading: nothing read for 2 s (0 bytes queued in dom0, socket buffer holding ",
                "short first copy");
    }

    @Test
    void vmThatFloodsIsDroppedAndRetried() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        new Random(1).nextBytes(chunk);
        run(
                (s, in, out) -> {
                    HostileGuest.handshake(s, in, out, false);
                    // One endless cut text: valid framing, far more bytes than any person's clipboard.
                    out.write(HostileGuest.cutTextHeader(0x7fffffffL));
                    while (true) {
                        out.write(chunk);
                    }
                },
                "the VM flooded the channel: more than 4194304 bytes in 2 s");
    }

    @Test
    void vmThatSendsGarbageIsDroppedAndRetried() throws Exception {
        run(
                (s, in, out) -> {
                    HostileGuest.handshake(s, in, out, false);
                    out.write(new byte[] {(byte) 0xee, 1, 2, 3, 4, 5, 6, 7});
                    out.flush();
                    HostileGuest.drainUntilClosed(in);
                },
                "protocol error: ");
    }

    @Test
    void vmThatClaimsFourGibibytesIsDroppedAndRetried() throws Exception {
        run(
                (s, in, out) -> {
                    HostileGuest.handshake(s, in, out, false);
                    out.write(HostileGuest.cutTextHeader(0xffffffffL));
                    out.write("just a little".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    HostileGuest.drainUntilClosed(in);
                },
                "protocol error: cut text length 4294967295 exceeds limit 2147483647");
    }

    @Test
    void vmThatSendsAZlibBombIsDroppedAndRetried() throws Exception {
        byte[] bomb = zlibBomb(576L << 20); // inflated whole, it would not fit the 512 MiB test heap
        run(
                (s, in, out) -> {
                    HostileGuest.handshake(s, in, out, true);
                    DataOutputStream d = new DataOutputStream(out);
                    d.writeByte(6);
                    d.write(new byte[3]);
                    d.writeInt(-(4 + bomb.length)); // extended: -length
                    d.writeInt((1 << 28) | 1); // provide, text
                    d.write(bomb);
                    d.flush();
                    HostileGuest.drainUntilClosed(in);
                },
                "the VM sent clipboard text of ");
    }

    /** A provide payload: U32 size then that many zero bytes, deflated. */
    private static byte[] zlibBomb(long size) throws IOException {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size};
        byte[] zeros = new byte[1 << 20];
        byte[] buf = new byte[1 << 16];
        d.setInput(head);
        while (!d.needsInput()) {
            out.write(buf, 0, d.deflate(buf));
        }
        for (long left = size; left > 0; left -= zeros.length) {
            d.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!d.needsInput()) {
                out.write(buf, 0, d.deflate(buf));
            }
        }
        d.finish();
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static String randomAscii(int n) {
        Random r = new Random(7);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }
}
