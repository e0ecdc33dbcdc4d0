package org.xenclip.channelsim;

/**
 * A first-in first-out queue of bytes with a capacity that producers respect ({@link #free()}),
 * which injected bytes may exceed. Not thread-safe: its owner guards it.
 */
final class ByteQueue {
    private final int capacity;
    private byte[] buf;
    private int head;
    private int size;

    ByteQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("queue capacity " + capacity + " must be positive");
        }
        this.capacity = capacity;
        this.buf = new byte[Math.min(capacity, 4096)];
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** Room left below the capacity: what a producer that respects it may add. */
    int free() {
        return Math.max(0, capacity - size);
    }

    void append(byte[] src, int off, int len) {
        ensureRoom(len);
        int tail = (head + size) % buf.length;
        int first = Math.min(len, buf.length - tail);
        System.arraycopy(src, off, buf, tail, first);
        System.arraycopy(src, off + first, buf, 0, len - first);
        size += len;
    }

    /** Puts bytes back at the front, e.g. a chunk whose delivery failed. */
    void prepend(byte[] src, int off, int len) {
        ensureRoom(len);
        head = Math.floorMod(head - len, buf.length);
        int first = Math.min(len, buf.length - head);
        System.arraycopy(src, off, buf, head, first);
        System.arraycopy(src, off + first, buf, 0, len - first);
        size += len;
    }

    /**
     * Appends, then drops the oldest bytes beyond the capacity.
     *
     * @return how many bytes were dropped
     */
    int appendDroppingOldest(byte[] src, int off, int len) {
        int dropped = 0;
        if (len >= capacity) {
            dropped = size + len - capacity;
            clear();
            append(src, off + len - capacity, capacity);
            return dropped;
        }
        int over = size + len - capacity;
        if (over > 0) {
            discard(over);
            dropped = over;
        }
        append(src, off, len);
        return dropped;
    }

    /** Copies up to {@code max} bytes from the front into {@code dst} without removing them. */
    int peek(byte[] dst, int max) {
        int n = Math.min(max, size);
        int first = Math.min(n, buf.length - head);
        System.arraycopy(buf, head, dst, 0, first);
        System.arraycopy(buf, 0, dst, first, n - first);
        return n;
    }

    void discard(int n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("cannot discard " + n + " of " + size + " queued bytes");
        }
        head = (head + n) % buf.length;
        size -= n;
        if (size == 0) {
            head = 0;
        }
    }

    /** Removes up to {@code max} bytes from the front into {@code dst}. */
    int take(byte[] dst, int max) {
        int n = peek(dst, max);
        discard(n);
        return n;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    private void ensureRoom(int len) {
        if (size + len <= buf.length) {
            return;
        }
        int newLength = Math.max(buf.length * 2, size + len);
        byte[] bigger = new byte[newLength];
        peek(bigger, size);
        buf = bigger;
        head = 0;
    }
}
