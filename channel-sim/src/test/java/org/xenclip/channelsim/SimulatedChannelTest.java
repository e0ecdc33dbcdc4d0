package org.xenclip.channelsim;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;

/** The simulator with real parts: a junixsocket client on one side, the pty slave on the other. */
class SimulatedChannelTest {
    @TempDir
    Path dir;

    private SimulatedChannel channel;

    private SimulatedChannel start() throws IOException {
        return start(0);
    }

    private SimulatedChannel start(long bandwidth) throws IOException {
        channel = SimulatedChannel.start(ChannelConfig.of("t", dir.resolve("clip.sock"))
                .withDeviceLink(dir.resolve("xen-channel/org.xenproject.guest.clipboard.0.1"))
                .withBandwidth(bandwidth));
        return channel;
    }

    @AfterEach
    void closeChannel() {
        if (channel != null) {
            channel.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private GuestEnd openRawGuest() throws IOException {
        GuestEnd guest = GuestEnd.open(channel.devicePath()).setRaw();
        Await.until(
                "the simulator to see the device open", () -> channel.stats().deviceOpen());
        return guest;
    }

    private Dom0Client connect() throws IOException {
        long before = channel.stats().clientsAccepted();
        Dom0Client client = Dom0Client.connect(channel.socketPath());
        Await.until("the simulator to accept the client", () -> channel.stats().clientsAccepted() > before);
        return client;
    }

    @Test
    void movesBytesBothWaysOnceTheAgentSetsRaw() throws IOException {
        start();
        assertThat(Files.readSymbolicLink(channel.devicePath())).isEqualTo(channel.ptyPath());
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            byte[] down = randomBytes(5000, 1);
            byte[] up = randomBytes(7000, 2);
            dom0.write(down);
            assertThat(guest.read(down.length)).isEqualTo(down);
            guest.write(up);
            assertThat(dom0.read(up.length)).isEqualTo(up);
            // The counters move just after the bytes: await them.
            Await.until(
                    "counted both ways",
                    () -> channel.stats().bytesToGuest() == down.length
                            && channel.stats().bytesToDom0() == up.length);
        }
    }

    @Test
    void deviceStartsCookedLikeHvc() throws IOException {
        start();
        try (GuestEnd guest = GuestEnd.open(channel.devicePath())) {
            Termios t = guest.termios();
            assertThat(t.localFlags() & Termios.ECHO).as("ECHO").isNotZero();
            assertThat(t.localFlags() & Termios.ICANON).as("ICANON").isNotZero();
            assertThat(t.localFlags() & Termios.ISIG).as("ISIG").isNotZero();
            assertThat(t.inputFlags() & Termios.ICRNL).as("ICRNL").isNotZero();
            assertThat(t.inputFlags() & Termios.IXON).as("IXON").isNotZero();
            assertThat(t.outputFlags() & Termios.OPOST).as("OPOST").isNotZero();
            assertThat(t.outputFlags() & Termios.ONLCR).as("ONLCR").isNotZero();
        }
    }

    @Test
    void cookedTtyMangles0x0aAnd0x0dUntilTheAgentSetsRaw() throws IOException {
        start();
        try (GuestEnd guest = GuestEnd.open(channel.devicePath());
                Dom0Client dom0 = connect()) {
            Await.until("device open", () -> channel.stats().deviceOpen());
            // Cooked: CR becomes NL (ICRNL) and is echoed to dom0 as CR NL (ECHO, ONLCR) ...
            dom0.write(new byte[] {'a', 'b', 0x0d});
            assertThat(guest.read(3)).containsExactly('a', 'b', 0x0a);
            assertThat(dom0.read(4)).containsExactly('a', 'b', 0x0d, 0x0a);
            // ... DEL erases within the line (ICANON) ...
            dom0.write(ascii("cx\u007fd\n"));
            assertThat(guest.read(3)).isEqualTo(ascii("cd\n"));
            assertThat(new String(dom0.read(8), US_ASCII)).isEqualTo("cx\b \bd\r\n");
            // ... ^C is a signal, not a byte (ISIG) ...
            dom0.write(new byte[] {0x03});
            assertThat(new String(dom0.read(2), US_ASCII)).isEqualTo("^C");
            dom0.write(ascii("e\n"));
            assertThat(guest.read(2)).as("0x03 never reached the agent").isEqualTo(ascii("e\n"));
            assertThat(dom0.read(3)).containsExactly('e', 0x0d, 0x0a);
            // ... and the guest's NL reaches dom0 as CR NL (ONLCR).
            guest.write(new byte[] {'x', 0x0a, 'y'});
            assertThat(dom0.read(4)).containsExactly('x', 0x0d, 0x0a, 'y');

            guest.setRaw();
            dom0.write(new byte[] {'a', 0x0d, 0x7f, 0x03, 0x0a});
            assertThat(guest.read(5)).containsExactly('a', 0x0d, 0x7f, 0x03, 0x0a);
            guest.write(new byte[] {'x', 0x0a, 'y'});
            // No echo came before the guest's bytes, and its NL arrives as-is.
            assertThat(dom0.read(3)).containsExactly('x', 0x0a, 'y');
        }
    }

    @Test
    void resetsTheTtyToCookedWhenTheLastDescriptorCloses() throws IOException {
        start();
        GuestEnd first = openRawGuest();
        GuestEnd second = GuestEnd.open(channel.devicePath());
        assertThat(second.termios().localFlags() & Termios.ECHO).isZero();
        first.close();
        assertThat(second.termios().localFlags() & Termios.ECHO)
                .as("still raw while a descriptor stays open")
                .isZero();
        second.close();
        Await.until(
                "the simulator to see the device closed", () -> !channel.stats().deviceOpen());
        try (GuestEnd again = GuestEnd.open(channel.devicePath())) {
            Termios t = again.termios();
            assertThat(t.localFlags() & (Termios.ECHO | Termios.ICANON | Termios.ISIG))
                    .isEqualTo(Termios.ECHO | Termios.ICANON | Termios.ISIG);
            assertThat(t.outputFlags() & Termios.ONLCR).isNotZero();
        }
    }

    @Test
    void servesOneClientAtATime() throws IOException {
        start();
        try (GuestEnd guest = openRawGuest()) {
            Dom0Client first = connect();
            // The kernel completes the second connect (listen backlog); the simulator does not serve it.
            Dom0Client second = Dom0Client.connect(channel.socketPath());
            second.write(ascii("waiting"));
            guest.write(ascii("for-first"));
            assertThat(first.read(9)).isEqualTo(ascii("for-first"));
            first.write(ascii("from-first"));
            assertThat(guest.read(10)).isEqualTo(ascii("from-first"));
            assertThat(channel.stats().clientsAccepted()).isEqualTo(1);
            assertThat(guest.readableNow())
                    .as("nothing from the unserved client")
                    .isFalse();

            first.close();
            Await.until(
                    "the second client to be accepted", () -> channel.stats().clientsAccepted() == 2);
            assertThat(guest.read(7)).as("what it wrote while waiting").isEqualTo(ascii("waiting"));
            guest.write(ascii("for-second"));
            assertThat(second.read(10)).isEqualTo(ascii("for-second"));
            second.close();
        }
    }

    @Test
    void keepsGuestOutputWhileNoClientAndDeliversItToTheNext() throws IOException {
        start();
        try (GuestEnd guest = openRawGuest()) {
            byte[] early = randomBytes(3000, 3);
            guest.write(early);
            Await.until("the output to reach the backlog", () -> channel.stats().backlogToDom0() == early.length);
            try (Dom0Client dom0 = connect()) {
                assertThat(dom0.read(early.length)).isEqualTo(early);
            }
            Await.until("the client to be gone", () -> !channel.stats().clientConnected());
            guest.write(ascii("between"));
            Await.until("the backlog", () -> channel.stats().backlogToDom0() == 7);
            try (Dom0Client next = connect()) {
                assertThat(next.read(7)).isEqualTo(ascii("between"));
            }
        }
    }

    @Test
    void backlogKeepsTheNewestMebibyteAndCountsWhatItDrops() throws IOException {
        start();
        int over = 10_000;
        byte[] output = randomBytes(VmBoot.BACKLOG_BYTES + over, 4);
        try (GuestEnd guest = openRawGuest()) {
            guest.write(output, Duration.ofMinutes(1));
            Await.until(
                    "all output taken from the ring",
                    Duration.ofMinutes(1),
                    () -> channel.stats().droppedToDom0() == over
                            && channel.stats().ringToDom0() == 0);
            assertThat(channel.stats().backlogToDom0()).isEqualTo(VmBoot.BACKLOG_BYTES);
            try (Dom0Client dom0 = connect()) {
                byte[] got = dom0.read(VmBoot.BACKLOG_BYTES, Duration.ofMinutes(1));
                byte[] newest = Arrays.copyOfRange(output, over, output.length);
                assertThat(got).isEqualTo(newest);
            }
        }
    }

    @Test
    void dom0BytesWaitWhileTheDeviceIsClosed() throws IOException {
        start();
        try (Dom0Client dom0 = connect()) {
            dom0.write(ascii("before-open"));
            Await.until("the bytes to wait in the ring", () -> channel.stats().ringToGuest() == 11);
            assertThat(channel.stats().bytesToGuest()).isZero();
            try (GuestEnd guest = GuestEnd.open(channel.devicePath())) {
                guest.setRaw();
                assertThat(guest.read(11)).isEqualTo(ascii("before-open"));
            }
            // The agent closed it again: the next bytes wait for the next open.
            Await.until("device closed", () -> !channel.stats().deviceOpen());
            dom0.write(ascii("while-closed"));
            Await.until("the bytes to wait in the ring", () -> channel.stats().ringToGuest() == 12);
            try (GuestEnd guest = openRawGuest()) {
                assertThat(guest.read(12)).isEqualTo(ascii("while-closed"));
            }
        }
    }

    @Test
    void movesAtMostOneRingPerChunk() throws IOException {
        start();
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            byte[] down = randomBytes(50_000, 5);
            byte[] up = randomBytes(50_000, 6);
            dom0.write(down);
            assertThat(guest.read(down.length)).isEqualTo(down);
            guest.write(up);
            assertThat(dom0.read(up.length)).isEqualTo(up);
            Await.until("all counted", () -> channel.stats().bytesToDom0() == up.length);
            ChannelStats stats = channel.stats();
            assertThat(stats.largestChunkToGuest()).isEqualTo(1024);
            assertThat(stats.largestChunkToDom0()).isEqualTo(2048);
        }
    }

    @Test
    void readersSeeRingSizedChunksUnderABandwidthLimit() throws IOException {
        // 4 KiB/s: one 1024-byte chunk per 250 ms toward the guest, one 2048-byte chunk per 500 ms
        // toward dom0, so a reader waiting in read(2) sees every chunk on its own.
        start(4096);
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            byte[] down = randomBytes(3 * 1024, 7);
            dom0.write(down);
            assertThat(guest.read(down.length)).isEqualTo(down);
            assertThat(guest.readSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1024));
            byte[] up = randomBytes(3 * 2048, 8);
            guest.write(up);
            assertThat(dom0.read(up.length)).isEqualTo(up);
            assertThat(dom0.readSizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2048));
        }
    }

    @Test
    void aGuestThatStopsReadingHoldsBackDom0WithBoundedMemory() throws Exception {
        start();
        byte[] data = randomBytes(8 << 20, 9);
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    dom0.write(data);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Await.until(
                    "the ring toward the guest to fill", () -> channel.stats().ringToGuest() == 1024);
            assertThat(writer).as("dom0's write is held back").isNotDone();
            assertThat(channel.stats().bytesToGuest()).isLessThan(data.length / 8);
            assertThat(guest.read(data.length, Duration.ofMinutes(2))).isEqualTo(data);
            writer.get(10, TimeUnit.SECONDS);
            assertThat(channel.stats().ringToGuest()).isZero();
        }
    }

    @Test
    void aDom0ThatStopsReadingHoldsBackTheGuestWithBoundedMemory() throws Exception {
        start();
        byte[] data = randomBytes(8 << 20, 10);
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    guest.write(data, Duration.ofMinutes(2));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Await.until("the ring toward dom0 to fill", () -> channel.stats().ringToDom0() == 2048);
            assertThat(writer).as("the guest's write is held back").isNotDone();
            assertThat(channel.stats().backlogToDom0()).isZero();
            assertThat(dom0.read(data.length, Duration.ofMinutes(2))).isEqualTo(data);
            writer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stallHoldsADirectionUntilResumed() throws IOException {
        start();
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            channel.stall(Direction.TO_GUEST);
            dom0.write(ascii("held"));
            Await.until("the bytes to wait in the ring", () -> channel.stats().ringToGuest() == 4);
            assertThat(guest.readableNow()).isFalse();
            channel.resume(Direction.TO_GUEST);
            assertThat(guest.read(4)).isEqualTo(ascii("held"));

            channel.stall(Direction.TO_DOM0);
            guest.write(ascii("up-held"));
            Await.until("the bytes to wait in the ring", () -> channel.stats().ringToDom0() == 7);
            assertThat(channel.stats().bytesToDom0()).isZero();
            channel.resume(Direction.TO_DOM0);
            assertThat(dom0.read(7)).isEqualTo(ascii("up-held"));
        }
    }

    @Test
    void dropClosesTheClientAndListensAgain() throws IOException {
        start();
        try (GuestEnd guest = openRawGuest()) {
            Dom0Client first = connect();
            channel.dropClient();
            first.awaitEndOfStream(Await.DEFAULT);
            first.close();
            assertThat(channel.stats().clientConnected()).isFalse();
            try (Dom0Client second = connect()) {
                second.write(ascii("again"));
                assertThat(guest.read(5)).isEqualTo(ascii("again"));
            }
        }
    }

    @Test
    void dropUnblocksAWriteToAClientThatStoppedReadingAndTheNextClientGetsTheRest() throws Exception {
        start();
        byte[] data = randomBytes(1 << 20, 12);
        try (GuestEnd guest = openRawGuest()) {
            Dom0Client stalled = connect();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    guest.write(data, Duration.ofMinutes(1));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Await.until("the ring toward dom0 to fill", () -> channel.stats().ringToDom0() == 2048);
            channel.dropClient();
            Await.until(
                    "the dropped client to be let go", () -> !channel.stats().clientConnected());
            stalled.close();
            try (Dom0Client next = connect()) {
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                    try {
                        next.readAllInto(received);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                writer.get(1, TimeUnit.MINUTES);
                // Every byte was delivered once: to the first client (whose socket buffer is lost
                // with it) or to the next, the chunk whose write failed included.
                Await.until("all guest output delivered", () -> channel.stats().bytesToDom0() == data.length);
                byte[] tail = Arrays.copyOfRange(data, data.length - 2048, data.length);
                Await.until("the last bytes to reach the next client", () -> {
                    byte[] got = snapshot(received);
                    return got.length >= tail.length
                            && Arrays.equals(Arrays.copyOfRange(got, got.length - tail.length, got.length), tail);
                });
                byte[] got = snapshot(received);
                assertThat(got).isEqualTo(Arrays.copyOfRange(data, data.length - got.length, data.length));
                assertThat(reader).isNotDone();
            }
        }
    }

    private static byte[] snapshot(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toByteArray();
        }
    }

    @Test
    void letsAClientGoThatHangsUpWhileTheRingIsFull() throws IOException {
        start();
        try (Dom0Client first = connect()) {
            first.write(randomBytes(3000, 11)); // the device is closed: the ring fills
            Await.until("the ring to fill", () -> channel.stats().ringToGuest() == 1024);
        }
        Dom0Client second = connect(); // accepted: connect() awaits clientsAccepted rising to 2
        assertThat(channel.stats().clientsAccepted()).isEqualTo(2);
        second.close();
    }

    @Test
    void rebootHangsUpBothSidesAndComesBackCookedAndEmpty() throws Exception {
        start();
        Path oldPty = channel.ptyPath();
        GuestEnd oldGuest = openRawGuest();
        Dom0Client oldClient = connect();
        channel.stall(Direction.TO_GUEST);
        oldClient.write(ascii("lost"));
        Await.until("bytes in the ring", () -> channel.stats().ringToGuest() == 4);

        channel.reboot();

        oldClient.awaitEndOfStream(Await.DEFAULT);
        oldClient.close();
        assertThat(oldGuest.pendingEvents() & Libc.POLLHUP)
                .as("old device hung up")
                .isNotZero();
        oldGuest.close();
        ChannelStats stats = channel.stats();
        assertThat(stats.boots()).isEqualTo(2);
        assertThat(stats.ringToGuest()).isZero();
        assertThat(stats.clientConnected()).isFalse();
        assertThat(Files.readSymbolicLink(channel.devicePath())).isEqualTo(channel.ptyPath());
        assertThat(channel.ptyPath())
                .as("a new console (the old one was still held open)")
                .isNotEqualTo(oldPty);
        try (GuestEnd guest = GuestEnd.open(channel.devicePath());
                Dom0Client dom0 = connect()) {
            assertThat(guest.termios().localFlags() & Termios.ECHO).isNotZero();
            guest.setRaw();
            dom0.write(ascii("fresh"));
            assertThat(guest.read(5)).as("not stalled any more, nothing stale").isEqualTo(ascii("fresh"));
        }
    }

    @Test
    void rebootRemovesTheSocketAndLinkForTheDowntime() throws Exception {
        start();
        CompletableFuture<Void> reboot = CompletableFuture.runAsync(() -> {
            try {
                channel.reboot(Duration.ofSeconds(1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Path link = channel.devicePath();
        Await.until(
                "the socket and the device link to disappear",
                () -> !Files.exists(channel.socketPath()) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertThat(reboot).as("still down").isNotDone();
        reboot.get(10, TimeUnit.SECONDS);
        assertThat(channel.socketPath()).exists();
        assertThat(channel.devicePath()).exists();
        try (Dom0Client dom0 = connect()) {
            channel.inject(Direction.TO_DOM0, ascii("up"));
            assertThat(dom0.read(2)).isEqualTo(ascii("up"));
        }
    }

    @Test
    void closeEndsARebootsDowntime() throws Exception {
        start();
        CompletableFuture<Void> reboot = CompletableFuture.runAsync(() -> {
            try {
                channel.reboot(Duration.ofMinutes(10));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Await.until("the VM to be down", () -> !Files.exists(channel.socketPath()));
        channel.close();
        reboot.get(10, TimeUnit.SECONDS);
        assertThat(channel.socketPath()).doesNotExist();
    }

    @Test
    void injectsBytesTowardEitherSide() throws IOException {
        start();
        channel.inject(Direction.TO_GUEST, ascii("stale"));
        try (Dom0Client dom0 = connect()) {
            channel.inject(Direction.TO_DOM0, SimulatedChannel.WINDOWS_ATTACH_BANNER);
            assertThat(dom0.read(14)).isEqualTo(ascii("\r\n[ATTACHED]\r\n"));
            try (GuestEnd guest = openRawGuest()) {
                assertThat(guest.read(5)).as("stale bytes wait for the agent").isEqualTo(ascii("stale"));
                dom0.write(ascii("live"));
                assertThat(guest.read(4)).isEqualTo(ascii("live"));
            }
        }
    }

    @Test
    void corruptsTheNextByteInOneDirectionOnly() throws IOException {
        start();
        try (GuestEnd guest = openRawGuest();
                Dom0Client dom0 = connect()) {
            channel.corruptNextByte(Direction.TO_GUEST);
            dom0.write(ascii("abc"));
            assertThat(guest.read(3)).containsExactly(~'a', 'b', 'c');
            dom0.write(ascii("abc"));
            assertThat(guest.read(3)).isEqualTo(ascii("abc"));

            channel.corruptNextByte(Direction.TO_DOM0);
            guest.write(ascii("xyz"));
            assertThat(dom0.read(3)).containsExactly(~'x', 'y', 'z');
            guest.write(ascii("xyz"));
            assertThat(dom0.read(3)).isEqualTo(ascii("xyz"));
        }
    }

    @Test
    void namesItsDaemonThreadsAndCleansUpOnClose() throws IOException {
        start();
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("sim-t-"))
                .extracting(Thread::getName)
                .containsExactlyInAnyOrder("sim-t-dom0-accept", "sim-t-dom0-write", "sim-t-guest-io");
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("sim-t-"))
                .allMatch(Thread::isDaemon);
        Path socket = channel.socketPath();
        Path link = channel.devicePath();
        channel.close();
        assertThat(socket).doesNotExist();
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        Await.until("the threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("sim-t-")));
        assertThatThrownBy(() -> channel.stats())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("channel t is closed");
    }

    @Test
    void replacesAStaleSocketFileButNotOtherFiles() throws IOException {
        Path socket = dir.resolve("taken.sock");
        Files.writeString(socket, "not a socket");
        assertThatThrownBy(() -> SimulatedChannel.start(ChannelConfig.of("x", socket)))
                .isInstanceOf(IOException.class)
                .hasMessage("socket path " + socket + " exists and is not a socket");
        Files.delete(socket);
        try (SimulatedChannel first = SimulatedChannel.start(ChannelConfig.of("x", socket))) {
            assertThat(first.devicePath()).isEqualTo(first.ptyPath());
        }
        // A socket file left behind by a crash does not stop the next start.
        AFUNIXServerSocket.bindOn(socket, false);
        try (SimulatedChannel second = SimulatedChannel.start(ChannelConfig.of("x", socket));
                Dom0Client client = Dom0Client.connect(socket)) {
            second.inject(Direction.TO_DOM0, ascii("served"));
            assertThat(client.read(6)).isEqualTo(ascii("served"));
        }
    }
}
