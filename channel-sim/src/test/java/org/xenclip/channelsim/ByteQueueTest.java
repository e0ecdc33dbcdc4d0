package org.xenclip.channelsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteQueueTest {
    @Test
    void keepsOrderAcrossWrapAroundAndGrowth() {
        ByteQueue q = new ByteQueue(1 << 20);
        Deque<Byte> model = new ArrayDeque<>();
        Random random = new Random(42);
        byte[] buf = new byte[9000];
        for (int round = 0; round < 2000; round++) {
            int op = random.nextInt(3);
            int len = random.nextInt(6000);
            if (op == 0) {
                byte[] data = new byte[len];
                random.nextBytes(data);
                q.append(data, 0, len);
                for (byte b : data) {
                    model.addLast(b);
                }
            } else if (op == 1) {
                byte[] data = new byte[len];
                random.nextBytes(data);
                q.prepend(data, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    model.addFirst(data[i]);
                }
            } else {
                int n = q.take(buf, len);
                assertThat(n).isEqualTo(Math.min(len, model.size()));
                for (int i = 0; i < n; i++) {
                    assertThat(buf[i]).isEqualTo(model.removeFirst());
                }
            }
            assertThat(q.size()).isEqualTo(model.size());
        }
    }

    @Test
    void reportsFreeRoomBelowCapacityEvenWhenInjectedBytesExceedIt() {
        ByteQueue q = new ByteQueue(1024);
        assertThat(q.free()).isEqualTo(1024);
        q.append(new byte[1000], 0, 1000);
        assertThat(q.free()).isEqualTo(24);
        q.append(new byte[100], 0, 100);
        assertThat(q.size()).isEqualTo(1100);
        assertThat(q.free()).isZero();
    }

    @Test
    void dropsTheOldestBytesBeyondCapacity() {
        ByteQueue q = new ByteQueue(10);
        assertThat(q.appendDroppingOldest(bytes(0, 6), 0, 6)).isZero();
        assertThat(q.appendDroppingOldest(bytes(6, 6), 0, 6)).isEqualTo(2);
        assertThat(contents(q)).isEqualTo(bytes(2, 10));
        assertThat(q.appendDroppingOldest(bytes(100, 25), 0, 25)).isEqualTo(25);
        assertThat(contents(q)).isEqualTo(bytes(115, 10));
    }

    @Test
    void peekLeavesBytesInPlace() {
        ByteQueue q = new ByteQueue(16);
        q.append(bytes(1, 5), 0, 5);
        byte[] out = new byte[3];
        assertThat(q.peek(out, 3)).isEqualTo(3);
        assertThat(out).isEqualTo(bytes(1, 3));
        assertThat(q.size()).isEqualTo(5);
    }

    @Test
    void rejectsDiscardingMoreThanQueued() {
        ByteQueue q = new ByteQueue(16);
        q.append(bytes(1, 5), 0, 5);
        assertThatThrownBy(() -> q.discard(6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot discard 6 of 5 queued bytes");
        assertThatThrownBy(() -> new ByteQueue(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queue capacity 0 must be positive");
    }

    private static byte[] bytes(int first, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    private static byte[] contents(ByteQueue q) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[q.size()];
        out.write(buf, 0, q.peek(buf, buf.length));
        return out.toByteArray();
    }
}
