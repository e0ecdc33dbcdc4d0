package org.xenclip.guest.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AtNoiseDetectorTest {

    private static int feed(AtNoiseDetector d, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return d.feed(b, 0, b.length);
    }

    @Test
    void countsModemProbes() {
        AtNoiseDetector d = new AtNoiseDetector();
        assertThat(feed(d, "AT\r")).isEqualTo(1);
        assertThat(feed(d, "xx\nATE0V1\rAT+GCAP\r")).isEqualTo(2);
        assertThat(d.seen()).isEqualTo(3);
    }

    @Test
    void findsProbesAfterACookedTtyTurnedTheirCrIntoLf() {
        AtNoiseDetector d = new AtNoiseDetector();
        assertThat(feed(d, "\nAT\nATE0V1\n")).isEqualTo(2);
    }

    @Test
    void findsProbesSplitAcrossReads() {
        AtNoiseDetector d = new AtNoiseDetector();
        assertThat(feed(d, "A")).isZero();
        assertThat(feed(d, "T")).isZero();
        assertThat(feed(d, "\r")).isEqualTo(1);
    }

    @Test
    void ignoresRfbGreetingsAndText() {
        AtNoiseDetector d = new AtNoiseDetector();
        assertThat(feed(d, "RFB 003.008\n[ATTACHED]\r\nAT the beginning\n")).isZero();
        assertThat(feed(d, "RFB 003.008\r\n")).isZero();
    }
}
