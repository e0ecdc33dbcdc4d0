package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** The provide's zlib stream is deflated into one array of zlib's worst-case size: it must fit and be whole. */
class DeflateBoundTest {

    @Test
    void incompressibleDataFitsTheBoundAndInflatesBack() throws Exception {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 100, 16383, 16384, 65536, 1 << 20}) {
            byte[] data = new byte[length];
            random.nextBytes(data); // the worst case for zlib: every block stored
            byte[] zlib = ExtendedClipboard.deflate(data);
            assertThat(zlib.length)
                    .as("zlib size of %d random bytes", length)
                    .isLessThanOrEqualTo(ExtendedClipboard.deflateBound(length));
            Inflater inflater = new Inflater();
            inflater.setInput(zlib);
            byte[] back = new byte[length + 1];
            int n = inflater.inflate(back);
            assertThat(inflater.finished()).as("one complete stream").isTrue();
            inflater.end();
            assertThat(Arrays.copyOf(back, n)).isEqualTo(data);
        }
    }
}
