package org.xenclip.channelsim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * Times raw transfers through a {@link SimulatedChannel}: a block written by one end until its
 * last byte is read at the other, each direction, with the guest's end raw as the agent sets it.
 * This is the baseline for the whole-path benchmark (issue 4: 1 MiB within 1.5x of the raw
 * transfer). Writes a small table to standard output and, with {@code --out}, to a file.
 */
public final class RawTransferBenchmark {
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(2);

    private RawTransferBenchmark() {}

    /** Timings of one direction, in milliseconds. */
    static final class Result {
        private final Direction direction;
        private final int bytes;
        private final double[] millis;

        Result(Direction direction, int bytes, double[] millis) {
            this.direction = direction;
            this.bytes = bytes;
            this.millis = millis.clone();
        }

        double median() {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        String row() {
            double min = Arrays.stream(millis).min().orElse(0);
            double max = Arrays.stream(millis).max().orElse(0);
            double mibPerSecond = bytes / (1024.0 * 1024.0) / (median() / 1000.0);
            return String.format(
                    Locale.ROOT,
                    "%-9s %9d %6d %9.1f %9.1f %9.1f %9.2f",
                    direction == Direction.TO_GUEST ? "to_guest" : "to_dom0",
                    bytes,
                    millis.length,
                    min,
                    median(),
                    max,
                    mibPerSecond);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        int bytes = 1 << 20;
        int rounds = 10;
        long bandwidth = 0;
        Path outFile = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bytes" -> bytes = positiveInt(args, ++i);
                    case "--rounds" -> rounds = positiveInt(args, ++i);
                    case "--bandwidth" -> bandwidth = positiveInt(args, ++i);
                    case "--out" -> outFile = Path.of(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("raw-transfer-benchmark: " + e.getMessage());
            err.println("Usage: RawTransferBenchmark [--bytes N] [--rounds N] [--bandwidth N] [--out FILE]");
            return 2;
        }
        try {
            List<Result> results = measure(bytes, rounds, bandwidth);
            String report = report(results, bandwidth);
            out.print(report);
            if (outFile != null) {
                Files.writeString(outFile, report, StandardCharsets.UTF_8);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("raw-transfer-benchmark: " + e);
            return 1;
        }
    }

    static String report(List<Result> results, long bandwidth) {
        StringBuilder sb = new StringBuilder();
        sb.append("# xenclip channel-sim raw transfer, ")
                .append(Instant.now())
                .append(", ")
                .append(System.getProperty("os.name"))
                .append(' ')
                .append(System.getProperty("os.arch"))
                .append(", ")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cpus, java ")
                .append(System.getProperty("java.version"))
                .append(", bandwidth ")
                .append(bandwidth == 0 ? "unlimited" : bandwidth + " B/s")
                .append('\n');
        sb.append("direction     bytes rounds    min_ms median_ms    max_ms  MiB/s(median)\n");
        for (Result r : results) {
            sb.append(r.row()).append('\n');
        }
        return sb.toString();
    }

    /** One measured transfer each way, in milliseconds. */
    public record Round(double toGuestMillis, double toDom0Millis) {}

    /**
     * One raw round each way through a channel of its own (after an unmeasured warm-up round): for a benchmark
     * that interleaves this baseline with its own measurements, so that both see the same machine load.
     */
    public static Round oneRound(int bytes) throws IOException {
        List<Result> results = measure(bytes, 1, 0);
        return new Round(results.get(0).median(), results.get(1).median());
    }

    static List<Result> measure(int bytes, int rounds, long bandwidth) throws IOException {
        Path dir = Files.createTempDirectory("xenclip-bench");
        ChannelConfig config =
                ChannelConfig.of("bench", dir.resolve("bench.sock")).withBandwidth(bandwidth);
        byte[] data = new byte[bytes];
        new Random(1).nextBytes(data);
        try (SimulatedChannel channel = SimulatedChannel.start(config);
                GuestEnd guest = GuestEnd.open(channel.devicePath()).setRaw();
                AFUNIXSocket dom0 = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(channel.socketPath()))) {
            awaitReady(channel);
            // One unmeasured round each way warms up the JIT and the buffers.
            toGuest(guest, dom0.getOutputStream(), data);
            toDom0(guest, dom0.getInputStream(), data);
            double[] down = new double[rounds];
            double[] up = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                down[i] = toGuest(guest, dom0.getOutputStream(), data);
                up[i] = toDom0(guest, dom0.getInputStream(), data);
            }
            return List.of(new Result(Direction.TO_GUEST, bytes, down), new Result(Direction.TO_DOM0, bytes, up));
        } finally {
            Files.deleteIfExists(dir.resolve("bench.sock"));
            Files.deleteIfExists(dir);
        }
    }

    private static void awaitReady(SimulatedChannel channel) throws IOException {
        long deadline = System.nanoTime() + GuestEnd.DEFAULT_TIMEOUT.toNanos();
        while (!(channel.stats().deviceOpen() && channel.stats().clientConnected())) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("channel not ready: " + channel.stats());
            }
            try {
                Thread.sleep(1); // polling a condition with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private static double toGuest(GuestEnd guest, OutputStream dom0, byte[] data) throws IOException {
        long start = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                dom0.write(data);
                dom0.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] got = guest.read(data.length, ROUND_TIMEOUT);
        double millis = (System.nanoTime() - start) / 1e6;
        finish(writer);
        guest.readSizes.clear();
        check(got, data, "to the guest");
        return millis;
    }

    private static double toDom0(GuestEnd guest, InputStream dom0, byte[] data) throws IOException {
        long start = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                guest.write(data, ROUND_TIMEOUT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] got = dom0.readNBytes(data.length);
        double millis = (System.nanoTime() - start) / 1e6;
        finish(writer);
        check(got, data, "to dom0");
        return millis;
    }

    private static void finish(CompletableFuture<Void> writer) throws IOException {
        try {
            writer.get(ROUND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("writer failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void check(byte[] got, byte[] expected, String where) throws IOException {
        if (!Arrays.equals(got, expected)) {
            throw new IOException("bytes " + where + " arrived altered (" + got.length + " bytes)");
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String[] args, int i) {
        String text = value(args, i);
        try {
            int n = Integer.parseInt(text);
            if (n <= 0) {
                throw new IllegalArgumentException(args[i - 1] + " " + text + " must be positive");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " " + text + " is not a whole number", e);
        }
    }
}
