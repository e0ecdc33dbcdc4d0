package org.xenclip.guest.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelDeviceTest {

    /** The bytes a cooked tty mangles: NUL, ^C (ISIG), LF (ONLCR), CR (ICRNL), ^Q/^S (IXON), DEL, 0xff. */
    static final byte[] FRAGILE = {0x00, 0x03, 0x0a, 0x0d, 0x11, 0x13, 0x7f, (byte) 0xff};

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void ptyStartsCookedSoTheTestMeansSomething() throws Exception {
        try (TestPty pty = TestPty.open(false)) {
            TermiosFlags cooked = RawTty.current(pty.masterFd(), pty.slave());
            assertThat(cooked.lflag() & TermiosFlags.ECHO).isNotZero();
            assertThat(cooked.lflag() & TermiosFlags.ICANON).isNotZero();
            assertThat(cooked.rawProblems()).isNotEmpty();
        }
    }

    @Test
    void fragileBytesCrossUnchangedBothWays() throws Exception {
        try (TestPty pty = TestPty.open(false);
                ChannelDevice device = ChannelDevice.open(pty.slave())) {
            assertThat(RawTty.current(device.fd(), device.path()).rawProblems()).isEmpty();

            pty.write(FRAGILE);
            assertThat(readFromDevice(device, FRAGILE.length)).containsExactly(FRAGILE);

            assertThat(device.write(FRAGILE, 0, FRAGILE.length)).isEqualTo(FRAGILE.length);
            assertThat(pty.read(FRAGILE.length, WAIT)).containsExactly(FRAGILE);
            // no echo of what dom0 sent, no CR added to the LF
            assertThat(pty.drain(Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void cookedDeviceWouldMangleTheSameBytes() throws Exception {
        POSIX posix = POSIXFactory.getNativePOSIX();
        try (TestPty pty = TestPty.open(false)) {
            int fd = posix.open(pty.slave().toString(), OpenFlags.O_RDWR.intValue() | OpenFlags.O_NOCTTY.intValue(), 0);
            assertThat(fd).isNotNegative();
            try {
                posix.write(fd, new byte[] {0x0a}, 1);
                assertThat(pty.read(2, WAIT)).containsExactly(0x0d, 0x0a);
            } finally {
                posix.close(fd);
            }
        }
    }

    @Test
    void keepsBytesDom0QueuedBeforeTheOpen() throws Exception {
        // TCSANOW, not TCSAFLUSH: the greeting already waiting must survive the switch to raw.
        try (TestPty pty = TestPty.open(true)) {
            byte[] greeting = "RFB 003.008\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            pty.write(greeting);
            try (ChannelDevice device = ChannelDevice.open(pty.slave())) {
                // the cooked line discipline turned the LF into... nothing: ICANON queued it as a line; raw
                // mode hands over the bytes as they were received
                byte[] got = readFromDevice(device, greeting.length);
                assertThat(new String(got, java.nio.charset.StandardCharsets.US_ASCII))
                        .startsWith("RFB 003.008");
            }
        }
    }

    @Test
    void missingDeviceIsNoSuchDevice(@TempDir Path dir) {
        Path missing = dir.resolve("hvc7");
        assertThatThrownBy(() -> ChannelDevice.open(missing))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.kind()).isEqualTo(DeviceException.Kind.NO_SUCH_DEVICE))
                .hasMessageStartingWith("no such device: " + missing + " (ENOENT: No such file or directory)");
    }

    @Test
    void regularFileIsNotATty(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> ChannelDevice.open(file))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.kind()).isEqualTo(DeviceException.Kind.NOT_A_TTY))
                .hasMessageStartingWith(
                        file + " is not a terminal (tcgetattr: ENOTTY: Inappropriate ioctl for device)");
    }

    @Test
    void unreadableDeviceIsPermissionDenied() throws Exception {
        try (TestPty pty = TestPty.open(false)) {
            Path slave = pty.slave();
            var saved = Files.getPosixFilePermissions(slave);
            Files.setPosixFilePermissions(slave, PosixFilePermissions.fromString("rw-------"));
            try {
                // Root ignores mode bits: open as "nobody" on a thread of its own. setfsuid is per thread and
                // drops CAP_DAC_OVERRIDE with it, so the kernel checks the mode as for an ordinary user.
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    TestPty.asNobodyOnThisThread();
                    try (ChannelDevice unexpected = ChannelDevice.open(slave)) {
                        thrown.set(new AssertionError("opened " + unexpected.path() + " without permission"));
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                });
                t.start();
                t.join();
                assertThat(thrown.get())
                        .isInstanceOfSatisfying(DeviceException.class, e -> assertThat(e.kind())
                                .isEqualTo(DeviceException.Kind.PERMISSION_DENIED))
                        .hasMessageStartingWith("permission denied opening " + slave + " (" + slave + " is ");
            } finally {
                Files.setPosixFilePermissions(slave, saved);
            }
        }
    }

    @Test
    void secondAgentOnTheSameDeviceIsRefused() throws Exception {
        try (TestPty pty = TestPty.open(false);
                ChannelDevice first = ChannelDevice.open(pty.slave())) {
            assertThatThrownBy(() -> ChannelDevice.open(pty.slave()))
                    .isInstanceOfSatisfying(
                            DeviceException.class, e -> assertThat(e.kind()).isEqualTo(DeviceException.Kind.BUSY))
                    .hasMessage("another xenclip-guest already holds " + pty.slave()
                            + " (only one agent may use the channel)");
            assertThat(first.settingsNow())
                    .isEqualTo(RawTty.current(first.fd(), first.path()).toString());
        }
    }

    @Test
    void exitCodesAreDistinct() {
        assertThat(Arrays.stream(DeviceException.Kind.values())
                        .mapToInt(DeviceException.Kind::exitCode)
                        .distinct()
                        .count())
                .isEqualTo(DeviceException.Kind.values().length);
        assertThat(Arrays.stream(DeviceException.Kind.values()).mapToInt(DeviceException.Kind::exitCode))
                .doesNotContain(0, 1, 2);
    }

    static byte[] readFromDevice(ChannelDevice device, int count) throws IOException {
        byte[] out = new byte[count];
        int got = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        Poller poller = new Poller(1);
        byte[] buf = new byte[4096];
        while (got < count && System.nanoTime() < deadline) {
            poller.set(0, device.fd(), Poller.POLLIN);
            poller.await(100);
            int n = device.read(buf);
            if (n > 0) {
                int take = Math.min(n, count - got);
                System.arraycopy(buf, 0, out, got, take);
                got += take;
            }
        }
        return Arrays.copyOf(out, got);
    }
}
