package org.xenclip.channelsim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only that the benchmark completes and writes its table: its numbers are never asserted. */
class RawTransferBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void completesAShortRunAndWritesItsTable() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path file = dir.resolve("raw.txt");
        int status = RawTransferBenchmark.run(
                new String[] {"--bytes", "65536", "--rounds", "2", "--out", file.toString()},
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
        assertThat(status).as(err.toString(UTF_8)).isZero();
        assertThat(Files.readString(file))
                .isEqualTo(out.toString(UTF_8))
                .startsWith("# xenclip channel-sim raw transfer, ")
                .containsPattern("\nto_guest +65536 +2 ")
                .containsPattern("\nto_dom0 +65536 +2 ");
    }

    @Test
    void oneRoundTimesBothDirections() throws Exception {
        RawTransferBenchmark.Round round = RawTransferBenchmark.oneRound(65536);
        assertThat(round.toGuestMillis()).isPositive();
        assertThat(round.toDom0Millis()).isPositive();
    }

    @Test
    void rejectsBadArgumentsWithStatus2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = RawTransferBenchmark.run(
                new String[] {"--rounds", "0"},
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8),
                new PrintStream(err, true, UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(UTF_8)).startsWith("raw-transfer-benchmark: --rounds 0 must be positive\n");
    }
}
