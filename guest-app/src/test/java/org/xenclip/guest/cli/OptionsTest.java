package org.xenclip.guest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.guest.device.DeviceLocator;

class OptionsTest {

    @Test
    void defaults() throws Exception {
        assertThat(Options.parse(List.of()))
                .isEqualTo(new Options(Optional.empty(), Options.Backend.AUTO, 1L << 20, false, false, false));
    }

    @Test
    void everyFlagInBothSpellings() throws Exception {
        Options a = Options.parse(List.of(
                "--device", "/dev/hvc1", "--backend", "wayland", "--max-bytes", "4096", "--primary", "--verbose"));
        Options b = Options.parse(
                List.of("--device=/dev/hvc1", "--backend=WAYLAND", "--max-bytes=4096", "--primary", "--verbose"));
        assertThat(a)
                .isEqualTo(b)
                .isEqualTo(new Options(
                        Optional.of(Path.of("/dev/hvc1")), Options.Backend.WAYLAND, 4096, true, true, false));
        assertThat(Options.parse(List.of("--help")).help()).isTrue();
    }

    @Test
    void rejectsUnknownFlagsAndBadValuesWithExactMessages() {
        assertThatThrownBy(() -> Options.parse(List.of("--colour")))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option '--colour'");
        assertThatThrownBy(() -> Options.parse(List.of("stray"))).hasMessage("unexpected argument 'stray'");
        assertThatThrownBy(() -> Options.parse(List.of("--backend", "gtk")))
                .hasMessage("--backend must be auto, x11 or wayland, got 'gtk'");
        assertThatThrownBy(() -> Options.parse(List.of("--max-bytes", "1M")))
                .hasMessage("--max-bytes must be a whole number of bytes, got '1M'");
        assertThatThrownBy(() -> Options.parse(List.of("--max-bytes", "0")))
                .hasMessage("--max-bytes 0 outside 1..2147483583");
        assertThatThrownBy(() -> Options.parse(List.of("--max-bytes", "2147483584")))
                .hasMessage("--max-bytes 2147483584 outside 1..2147483583");
        assertThatThrownBy(() -> Options.parse(List.of("--device"))).hasMessage("--device needs a value");
        assertThatThrownBy(() -> Options.parse(List.of("--device", "--verbose")))
                .hasMessage("--device needs a value");
        assertThatThrownBy(() -> Options.parse(List.of("--device=")))
                .hasMessage("--device needs a path, got an empty one");
        assertThatThrownBy(() -> Options.parse(List.of("--primary=yes")))
                .hasMessage("--primary takes no value, got 'yes'");
    }

    @Test
    void usageErrorExitsWithTwo(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                List.of("--max-bytes", "lots"),
                Map.of(),
                locator(dir),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("xenclip-guest: --max-bytes must be a whole number of bytes, got 'lots' (see --help)\n");
    }

    @Test
    void noDeviceAnywhereExitsWithThree(@TempDir Path dir) {
        int code = Main.run(
                List.of(),
                Map.of(),
                locator(dir),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(3);
    }

    @Test
    void helpExitsWithZeroAndNamesEveryFlagAndExitCode(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(
                List.of("--help"),
                Map.of(),
                locator(dir),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith(
                        "Usage: xenclip-guest [options]\n   (from a build: java -jar xenclip-guest.jar [options])\n")
                .contains("--device PATH", "--backend auto|x11|wayland", "--max-bytes N", "--primary", "--verbose")
                .contains("3 no channel device", "4 permission denied", "8 another agent");
    }

    private static DeviceLocator locator(Path dir) {
        return new DeviceLocator(
                dir.resolve("dev/xen-channel"),
                dir.resolve("sys"),
                dir.resolve("dev"),
                Optional.empty(),
                Duration.ZERO);
    }
}
