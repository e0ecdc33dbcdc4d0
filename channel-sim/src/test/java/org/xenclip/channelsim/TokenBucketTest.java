package org.xenclip.channelsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void unlimitedNeverWaits() {
        TokenBucket bucket = new TokenBucket(0, 1024, now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.nanosUntilAvailable(1024)).isZero();
            bucket.consume(1024);
        }
    }

    @Test
    void startsWithOneBurstThenPacesToTheRate() {
        TokenBucket bucket = new TokenBucket(1024, 1024, now::get); // 1 KiB/s
        assertThat(bucket.nanosUntilAvailable(1024)).isZero();
        bucket.consume(1024);
        assertThat(bucket.nanosUntilAvailable(1024)).isEqualTo(1_000_000_000L);
        assertThat(bucket.nanosUntilAvailable(512)).isEqualTo(500_000_000L);
        now.addAndGet(500_000_000L);
        assertThat(bucket.nanosUntilAvailable(512)).isZero();
        assertThat(bucket.nanosUntilAvailable(1024)).isEqualTo(500_000_000L);
    }

    @Test
    void neverSavesUpMoreThanOneBurst() {
        TokenBucket bucket = new TokenBucket(1000, 100, now::get);
        now.addAndGet(60_000_000_000L);
        bucket.consume(100);
        assertThat(bucket.nanosUntilAvailable(100)).isEqualTo(100_000_000L);
    }

    @Test
    void aRequestLargerThanABurstWaitsOnlyForABurst() {
        TokenBucket bucket = new TokenBucket(1000, 100, now::get);
        bucket.consume(100);
        assertThat(bucket.nanosUntilAvailable(5000)).isEqualTo(100_000_000L);
    }
}
