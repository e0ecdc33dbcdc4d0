package org.xenclip.channelsim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for one Xen PV channel between a dom0 app and a guest agent, without Xen.
 *
 * <p>The dom0 side is a Unix socket that listens like QEMU's chardev socket: one client at a time,
 * listening again after it leaves, guest output kept (up to 1 MiB) while nobody is connected. The
 * guest side is a real pseudo-terminal that starts cooked like a hvc console and holds dom0's
 * bytes while the agent has it closed. Between them, two rings move bytes in chunks of at most
 * 1024 bytes toward the guest and 2048 toward dom0, with back-pressure and an optional bandwidth
 * limit. Faults are injected through the methods below. See {@code docs/channel-simulator.md}.
 *
 * <p>Thread-safe. Its threads are daemon threads named {@code sim-<name>-...}.
 *
 * <pre>{@code
 * try (SimulatedChannel channel = SimulatedChannel.start(
 *         ChannelConfig.of("vm1", dir.resolve("clip-vm1.sock")).withDeviceLink(dir.resolve("dev-vm1")))) {
 *     // host app connects to channel.socketPath(), guest agent opens channel.devicePath()
 *     channel.reboot();
 * }
 * }</pre>
 */
public final class SimulatedChannel implements AutoCloseable {
    /** What a Windows guest's channel driver writes toward dom0 when it attaches. */
    public static final byte[] WINDOWS_ATTACH_BANNER = "\r\n[ATTACHED]\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ChannelConfig config;
    private final Counters counters = new Counters();
    private volatile VmBoot boot;
    private volatile boolean closed;

    private SimulatedChannel(ChannelConfig config) {
        this.config = config;
    }

    /**
     * Creates the pseudo-terminal (and its link), binds the socket and starts moving bytes.
     *
     * @throws IOException if the socket path is taken by something other than a socket, or the
     *     pty or socket cannot be created
     */
    public static SimulatedChannel start(ChannelConfig config) throws IOException {
        SimulatedChannel channel = new SimulatedChannel(Objects.requireNonNull(config, "config"));
        channel.boot = VmBoot.start(config, channel.counters);
        return channel;
    }

    public ChannelConfig config() {
        return config;
    }

    /** Where dom0 apps connect. */
    public Path socketPath() {
        return config.socketPath();
    }

    /**
     * What the guest agent opens: the device link if one was configured, else the pty's slave
     * (which changes at every reboot).
     */
    public Path devicePath() {
        return config.deviceLink().orElseGet(this::ptyPath);
    }

    /** The pty's slave of the current boot, e.g. {@code /dev/pts/7}. */
    public Path ptyPath() {
        return current().ptyPath();
    }

    /** Closes the dom0 client's connection, as if it had failed; the socket listens again. */
    public void dropClient() {
        current().dropClient();
    }

    /** {@link #reboot(Duration)} with no time in between. */
    public void reboot() throws IOException {
        reboot(Duration.ZERO);
    }

    /**
     * Reboots the simulated VM: the dom0 client is disconnected, the socket file and the device
     * link disappear, open descriptors of the device are hung up, both rings and the backlog are
     * emptied and faults cleared; after {@code downtime} a new socket listens at the same path and
     * a new pty (behind the same link) starts cooked. Returns when the new boot is up.
     */
    public synchronized void reboot(Duration downtime) throws IOException {
        ensureOpen();
        boot.close();
        // The VM being down is the point here, not a wait for a condition; close() cuts it short.
        long deadline = System.nanoTime() + downtime.toNanos();
        long left;
        while (!closed && (left = deadline - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("reboot of channel " + config.name() + " interrupted", e);
            }
        }
        if (!closed) {
            boot = VmBoot.start(config, counters);
        }
    }

    /**
     * Puts bytes into one direction's ring behind what is already queued, even beyond the ring's
     * size: stale bytes from a previous session, or {@link #WINDOWS_ATTACH_BANNER} toward dom0.
     */
    public void inject(Direction direction, byte[] bytes) {
        current().inject(direction, bytes.clone());
    }

    /** Flips all bits of the next byte that leaves one direction's ring. */
    public void corruptNextByte(Direction direction) {
        current().corruptNextByte(direction);
    }

    /**
     * Stops delivering in one direction, as a reader that stopped reading would: the ring fills
     * and the writer of that direction is held back.
     */
    public void stall(Direction direction) {
        current().setStalled(direction, true);
    }

    /** Undoes {@link #stall}. */
    public void resume(Direction direction) {
        current().setStalled(direction, false);
    }

    public ChannelStats stats() {
        return current().stats();
    }

    /** Stops the threads, removes the socket file and the device link, closes the pty. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            boot.close();
            notifyAll(); // ends a reboot's downtime
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("channel " + config.name() + " is closed");
        }
    }

    private VmBoot current() {
        ensureOpen();
        return boot;
    }
}
