package org.xenclip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's short run inside {@code ./mvnw verify}: it must complete and report; no timing is checked. */
class WholePathBenchmarkSmokeTest {

    @TempDir
    Path dir;

    @Test
    void aShortRunCompletesAndReportsEveryMeasure() {
        Path out = dir.resolve("e2e.txt");
        String report = WholePathBenchmark.measure(new WholePathBenchmark.Params(3, 1024, 65536, 1, 1, out));
        assertThat(out).exists();
        assertThat(report)
                .contains("latency 1024 B dom0->guest over 3 copies: p50")
                .contains("latency 1024 B guest->dom0 over 3 copies: p50")
                .contains("phases 1024 B dom0->guest, from the copy: first byte on the wire p50")
                .contains("phases 1024 B guest->dom0, from the copy: first byte on the wire p50")
                .contains("guest agent's reads of the guest copies (its log, --verbose): ")
                .contains("time for 65536 B dom0->guest over 1 copies: p50")
                .contains("time for 65536 B guest->dom0 over 1 copies: p50")
                .contains("raw simulator transfer of 65536 B, interleaved with those copies: to the guest p50")
                .contains("whole path / raw transfer, p50 over p50: ")
                .contains("wire for one 1024 B prose (compressible) text")
                .contains("idle ")
                .contains("RSS");
    }
}
