package org.xenclip.host.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void allowsCountWithinWindowThenRefuses() {
        RateLimiter r = new RateLimiter(3, 1000);
        assertThat(r.tryAcquire(0)).isTrue();
        assertThat(r.tryAcquire(1)).isTrue();
        assertThat(r.tryAcquire(2)).isTrue();
        assertThat(r.tryAcquire(999)).isFalse();
    }

    @Test
    void slidingWindowLetsOldEventsExpire() {
        RateLimiter r = new RateLimiter(2, 1000);
        assertThat(r.tryAcquire(0)).isTrue();
        assertThat(r.tryAcquire(500)).isTrue();
        assertThat(r.tryAcquire(999)).isFalse();
        assertThat(r.tryAcquire(1000)).isTrue(); // the event at 0 has left the window
        assertThat(r.tryAcquire(1200)).isFalse();
        assertThat(r.tryAcquire(1500)).isTrue();
    }

    @Test
    void refusedEventsDoNotCount() {
        RateLimiter r = new RateLimiter(1, 100);
        assertThat(r.tryAcquire(0)).isTrue();
        for (int i = 1; i < 100; i++) {
            assertThat(r.tryAcquire(i)).isFalse();
        }
        assertThat(r.tryAcquire(100)).isTrue();
    }

    @Test
    void rejectsNonsenseLimits() {
        assertThatThrownBy(() -> new RateLimiter(0, 10)).hasMessage("rate limit 0 per 10 ms");
    }
}
