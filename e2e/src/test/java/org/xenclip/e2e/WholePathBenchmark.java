package org.xenclip.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.xenclip.channelsim.ChannelStats;
import org.xenclip.channelsim.RawTransferBenchmark;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.XClip;

/**
 * The whole path, measured: copy->paste latency both ways for 1 KiB texts (p50/p90/p99), the time for 1 MiB
 * each way, idle CPU and RSS of both app processes, and the bytes the channel carried per text. Run by
 * {@code scripts/bench-e2e.sh} (which passes {@code -Dtest=WholePathBenchmark}); {@code ./mvnw verify} excludes
 * it and runs {@link WholePathBenchmarkSmokeTest} instead, which only checks that a short run completes.
 *
 * <p>Latency is measured on the X servers, not in the apps: from the moment the copying side's CLIPBOARD owner
 * changes to xclip's window (the copy happened) to the moment the other side's owner changes to the app's
 * window (the text can be pasted), both timed by the XFixes events a connection of the benchmark's own receives
 * ({@link OwnerChanges}). Copies alternate direction, so the receiving side's owner is always xclip before the
 * app takes it back. The raw transfer it is compared with is measured in the same run, between the copies.
 */
class WholePathBenchmark {

    record Params(int copies, int smallBytes, int bigBytes, int bigRounds, int idleSeconds, Path out) {
        static Params fromProperties() {
            return new Params(
                    Integer.getInteger("e2e.bench.copies", 50),
                    Integer.getInteger("e2e.bench.smallBytes", 1024),
                    Integer.getInteger("e2e.bench.bigBytes", 1 << 20),
                    Integer.getInteger("e2e.bench.bigRounds", 3),
                    Integer.getInteger("e2e.bench.idleSeconds", 10),
                    Path.of(System.getProperty("e2e.bench.out", "target/benchmarks/e2e.txt")));
        }
    }

    @Test
    void run() {
        String report = measure(Params.fromProperties());
        System.out.println(report);
    }

    /** Runs the measurements and writes the report to {@code params.out()}; returns the report. */
    static String measure(Params params) {
        StringBuilder r = new StringBuilder();
        try (Rig rig = Rig.create("bench");
                OwnerChanges dom0Changes = new OwnerChanges(rig.dom0Display.display());
                OwnerChanges guestChanges = new OwnerChanges(rig.guestDisplay.display())) {
            Run run = new Run(rig, dom0Changes, guestChanges);
            rig.hostSettings("rate-limit-count=100000");
            rig.startBoth("both");
            line(r, "# xenclip whole-path benchmark, %s", Instant.now());
            line(
                    r,
                    "machine: %s cores, %s, Linux %s, Java %s, load average at start %s",
                    Runtime.getRuntime().availableProcessors(),
                    cpuModel(),
                    System.getProperty("os.version"),
                    System.getProperty("java.version"),
                    loadAverage());
            line(r, "params: %s", params);

            // warm-up: the first transfers load classes and JIT in both apps
            for (int i = 0; i < 4; i++) {
                copyAndTime(run, i % 2 == 0, Texts.random(-1 - i, params.smallBytes()), false);
            }
            List<Double> toGuest = new ArrayList<>();
            List<Double> toDom0 = new ArrayList<>();
            List<Phases> phasesToGuest = new ArrayList<>();
            List<Phases> phasesToDom0 = new ArrayList<>();
            int guestMark = rig.guest().logMark();
            ChannelStats before = rig.channel.stats();
            long textBytes = 0;
            for (int i = 0; i < 2 * params.copies(); i++) {
                boolean fromDom0 = i % 2 == 0;
                String text = Texts.random(1000 + i, params.smallBytes());
                textBytes += Texts.utf8Size(text);
                double ms = copyAndTime(run, fromDom0, text, false, fromDom0 ? phasesToGuest : phasesToDom0);
                (fromDom0 ? toGuest : toDom0).add(ms);
            }
            ChannelStats after = rig.channel.stats();
            String guestLog = rig.guest().logSince(guestMark);
            line(
                    r,
                    "latency %d B dom0->guest over %d copies: %s",
                    params.smallBytes(),
                    toGuest.size(),
                    percentiles(toGuest));
            line(
                    r,
                    "latency %d B guest->dom0 over %d copies: %s",
                    params.smallBytes(),
                    toDom0.size(),
                    percentiles(toDom0));
            line(r, "phases %d B dom0->guest, from the copy: %s", params.smallBytes(), phases(phasesToGuest));
            line(r, "phases %d B guest->dom0, from the copy: %s", params.smallBytes(), phases(phasesToDom0));
            line(r, "guest agent's reads of the guest copies (its log, --verbose): %s", agentReads(guestLog));
            line(
                    r,
                    "wire for %d random-text copies of %d B (%d B of text): %d B to the guest, %d B to dom0 "
                            + "(all protocol traffic both ways, heartbeats included)",
                    2 * params.copies(),
                    params.smallBytes(),
                    textBytes,
                    after.bytesToGuest() - before.bytesToGuest(),
                    after.bytesToDom0() - before.bytesToDom0());

            wireFor(r, run, "prose (compressible)", Texts.prose(params.smallBytes()));
            wireFor(r, run, "random mixed-script", Texts.random(77, params.smallBytes()));

            List<Double> bigToGuest = new ArrayList<>();
            List<Double> bigToDom0 = new ArrayList<>();
            List<Phases> bigPhasesToGuest = new ArrayList<>();
            List<Phases> bigPhasesToDom0 = new ArrayList<>();
            List<Double> rawToGuest = new ArrayList<>();
            List<Double> rawToDom0 = new ArrayList<>();
            for (int i = 0; i < params.bigRounds(); i++) {
                // the baseline, interleaved: the same bytes through a simulator of their own, with no protocol
                // and no clipboard, under the same load as the copies around it (the apps idle meanwhile)
                RawTransferBenchmark.Round raw = rawRound(params.bigBytes());
                rawToGuest.add(raw.toGuestMillis());
                rawToDom0.add(raw.toDom0Millis());
                ChannelStats b0 = rig.channel.stats();
                String big = Texts.random(5000 + 2 * i, params.bigBytes());
                bigToGuest.add(copyAndTime(run, true, big, true, bigPhasesToGuest));
                ChannelStats b1 = rig.channel.stats();
                String bigBack = Texts.random(5001 + 2 * i, params.bigBytes());
                bigToDom0.add(copyAndTime(run, false, bigBack, true, bigPhasesToDom0));
                ChannelStats b2 = rig.channel.stats();
                if (i == 0) {
                    line(
                            r,
                            "wire for one %d B random text: %d B to the guest; back: %d B to dom0",
                            params.bigBytes(),
                            b1.bytesToGuest() - b0.bytesToGuest(),
                            b2.bytesToDom0() - b1.bytesToDom0());
                }
            }
            line(
                    r,
                    "time for %d B dom0->guest over %d copies: %s",
                    params.bigBytes(),
                    bigToGuest.size(),
                    percentiles(bigToGuest));
            line(
                    r,
                    "time for %d B guest->dom0 over %d copies: %s",
                    params.bigBytes(),
                    bigToDom0.size(),
                    percentiles(bigToDom0));
            line(
                    r,
                    "raw simulator transfer of %d B, interleaved with those copies: to the guest %s; to dom0 %s",
                    params.bigBytes(),
                    percentiles(rawToGuest),
                    percentiles(rawToDom0));
            line(
                    r,
                    "whole path / raw transfer, p50 over p50: %.2f x dom0->guest, %.2f x guest->dom0 (target <= 1.5 x)",
                    median(bigToGuest) / median(rawToGuest),
                    median(bigToDom0) / median(rawToDom0));
            line(r, "phases %d B dom0->guest, from the copy: %s", params.bigBytes(), phases(bigPhasesToGuest));
            line(r, "phases %d B guest->dom0, from the copy: %s", params.bigBytes(), phases(bigPhasesToDom0));

            // idle: nothing copied; heartbeats only
            Usage host0 = Usage.of(rig.host().pid());
            Usage guest0 = Usage.of(rig.guest().pid());
            ChannelStats idle0 = rig.channel.stats();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(params.idleSeconds())); // the idle period measured
            double seconds = (System.nanoTime() - t0) / 1e9;
            Usage host1 = Usage.of(rig.host().pid());
            Usage guest1 = Usage.of(rig.guest().pid());
            ChannelStats idle1 = rig.channel.stats();
            line(
                    r,
                    "idle %.1f s: host app %.2f %% of a core, RSS %d MiB; guest agent %.2f %% of a core, RSS %d MiB; "
                            + "wire %d B to the guest, %d B to dom0",
                    seconds,
                    100.0 * (host1.cpuSeconds - host0.cpuSeconds) / seconds,
                    host1.rssKib / 1024,
                    100.0 * (guest1.cpuSeconds - guest0.cpuSeconds) / seconds,
                    guest1.rssKib / 1024,
                    idle1.bytesToGuest() - idle0.bytesToGuest(),
                    idle1.bytesToDom0() - idle0.bytesToDom0());
            line(r, "load average at end %s", loadAverage());
        }
        try {
            Path out = params.out().toAbsolutePath();
            Files.createDirectories(out.getParent());
            Files.writeString(out, r.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r.toString();
    }

    /** One copy on one side; milliseconds from the copy to the text being pasteable on the other side. */
    private static double copyAndTime(Run run, boolean fromDom0, String text, boolean big) {
        return copyAndTime(run, fromDom0, text, big, null);
    }

    /**
     * Where one copy's time went, in milliseconds from the copy, seen from outside the apps: {@code firstByte}
     * when the channel carried the first byte the copying side sent for it (that side's change event, debounce
     * and read are before it), {@code lastByte} when it carried the last one before the text was pasteable (for
     * guest -> dom0 that includes the host's request and the agent's answer: notify, request, provide), and
     * {@code pasted} when the far side's owner became the app (its inflate and write are after
     * {@code lastByte}). Any field is NaN when not seen.
     */
    record Phases(double firstByte, double lastByte, double pasted) {}

    private static double copyAndTime(Run run, boolean fromDom0, String text, boolean big, List<Phases> phases) {
        Rig rig = run.rig();
        XClip from = fromDom0 ? rig.dom0User : rig.guestUser;
        XClip to = fromDom0 ? rig.guestUser : rig.dom0User;
        OwnerChanges fromChanges = fromDom0 ? run.dom0() : run.guest();
        OwnerChanges toChanges = fromDom0 ? run.guest() : run.dom0();
        try (XClip.OwnerProbe toProbe = to.ownerProbe(Selection.CLIPBOARD)) {
            long toOwner = toProbe.owner();
            long wire0 = sent(rig, fromDom0);
            long start = System.nanoTime();
            // xclip, as the user, for every size: a C client like the toolkits, which answers 1 MiB in one or two
            // property writes
            from.setNoWait(Selection.CLIPBOARD, text);
            long deadline = start + (big ? Rig.HANG : LOST).toNanos();
            long copied = 0;
            long pasted = 0;
            long firstByte = 0;
            long lastByte = 0;
            long wire = wire0;
            while (pasted == 0) {
                long now = System.nanoTime();
                if (now > deadline) {
                    if (copied == 0) {
                        throw new AssertionError(
                                "the copy itself did not happen within the deadline" + rig.diagnostics());
                    }
                    // the app never took the text over: a lost copy, counted in the report
                    return Double.NaN;
                }
                if (copied == 0) {
                    copied = fromChanges.firstSince(start);
                }
                long w = sent(rig, fromDom0);
                if (copied != 0 && w != wire) {
                    // heartbeats are a few bytes every few seconds: rare next to a copy's bytes, and only
                    // the first and last change before the paste are kept
                    lastByte = now;
                    if (firstByte == 0) {
                        firstByte = lastByte;
                    }
                    wire = w;
                }
                if (copied != 0) {
                    pasted = toChanges.firstSince(copied);
                }
                // the owner changes are timed by their events; this loop only samples the channel's counters
                // for the phases, so a millisecond's resolution is enough and costs the apps next to nothing
                LockSupport.parkNanos(PHASE_SAMPLE_NANOS);
            }
            if (toProbe.owner() == toOwner) {
                throw new AssertionError(
                        "an owner change on the receiving side that left the owner as it was" + rig.diagnostics());
            }
            if (phases != null) {
                phases.add(new Phases(
                        firstByte == 0 ? Double.NaN : (firstByte - copied) / 1e6,
                        lastByte == 0 ? Double.NaN : (lastByte - copied) / 1e6,
                        (pasted - copied) / 1e6));
            }
            // untimed: the text that arrived is the one copied, whole
            rig.awaitClipboard(fromDom0 ? "guest" : "dom0", text, Rig.HANG);
            return (pasted - copied) / 1e6;
        }
    }

    /** How often the channel's byte counters are sampled for the phases. */
    private static final long PHASE_SAMPLE_NANOS = 1_000_000L;

    /** The rig and the two displays' owner-change clocks. */
    record Run(Rig rig, OwnerChanges dom0, OwnerChanges guest) {}

    private static RawTransferBenchmark.Round rawRound(int bytes) {
        try {
            return RawTransferBenchmark.oneRound(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Nearest-rank median; NaN (a lost copy) is left out. */
    private static double median(List<Double> values) {
        double[] v = seenSorted(values);
        return v.length == 0 ? Double.NaN : pct(v, 50);
    }

    /** The values that were measured (NaN is a lost copy), sorted. */
    private static double[] seenSorted(List<Double> values) {
        return values.stream()
                .mapToDouble(Double::doubleValue)
                .filter(d -> !Double.isNaN(d))
                .sorted()
                .toArray();
    }

    /** Bytes the copying side has sent into the channel so far. */
    private static long sent(Rig rig, boolean fromDom0) {
        ChannelStats s = rig.channel.stats();
        return fromDom0 ? s.bytesToGuest() : s.bytesToDom0();
    }

    /** The phases of the copies one way: their p50 and p99 each. */
    static String phases(List<Phases> list) {
        return String.format(
                Locale.ROOT,
                "first byte on the wire %s; last byte %s; pasteable %s",
                p50p99(list.stream().mapToDouble(Phases::firstByte)),
                p50p99(list.stream().mapToDouble(Phases::lastByte)),
                p50p99(list.stream().mapToDouble(Phases::pasted)));
    }

    private static String p50p99(java.util.stream.DoubleStream values) {
        double[] v = values.filter(d -> !Double.isNaN(d)).sorted().toArray();
        return v.length == 0
                ? "(not seen)"
                : String.format(Locale.ROOT, "p50 %.1f / p99 %.1f ms", pct(v, 50), pct(v, 99));
    }

    /** A small copy not pasteable after this long is counted as lost (the apps never deliver one that late). */
    private static final java.time.Duration LOST = java.time.Duration.ofSeconds(10);

    private static void wireFor(StringBuilder r, Run run, String kind, String text) {
        Rig rig = run.rig();
        ChannelStats a = rig.channel.stats();
        copyAndTime(run, true, text, false);
        ChannelStats b = rig.channel.stats();
        String back = text.substring(0, text.length() - 1) + "!";
        copyAndTime(run, false, back, false);
        ChannelStats c = rig.channel.stats();
        line(
                r,
                "wire for one %d B %s text: %d B to the guest; back: %d B to dom0",
                Texts.utf8Size(text),
                kind,
                b.bytesToGuest() - a.bytesToGuest(),
                c.bytesToDom0() - b.bytesToDom0());
    }

    static String percentiles(List<Double> values) {
        long lost = values.stream().filter(d -> d.isNaN()).count();
        double[] v = seenSorted(values);
        if (v.length == 0) {
            return "none pasted, " + lost + " lost";
        }
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms, lost %d",
                pct(v, 50),
                pct(v, 90),
                pct(v, 99),
                v[0],
                v[v.length - 1],
                lost);
    }

    /**
     * How long the agent's reads of a user's copy took: its "read x11-xfixes in N ms" lines followed by a
     * "sending clipboard change" line (the reads after its own writes answer from AWT's copy in 0 ms and are
     * left out), p50/p90/p99/max.
     */
    static String agentReads(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "read [a-z0-9-]+ in (\\d+) ms\\R[^\\n]*sending clipboard change of")
                .matcher(log);
        List<Double> ms = new ArrayList<>();
        while (m.find()) {
            ms.add(Double.parseDouble(m.group(1)));
        }
        if (ms.isEmpty()) {
            return "none logged";
        }
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(
                Locale.ROOT,
                "%d reads, p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms",
                v.length,
                pct(v, 50),
                pct(v, 90),
                pct(v, 99),
                v[v.length - 1]);
    }

    /** Nearest-rank percentile. */
    private static double pct(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void line(StringBuilder r, String format, Object... args) {
        r.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    /** CPU time and resident memory of a process, from /proc. */
    record Usage(double cpuSeconds, long rssKib) {
        /** Linux's USER_HZ, the unit of utime and stime in /proc/PID/stat, is 100 on every architecture. */
        private static final double TICKS_PER_SECOND = 100.0;

        static Usage of(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // fields after the command name (which may contain spaces) start after the last ')'
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
                double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                long rss = Arrays.stream(Files.readString(Path.of("/proc/" + pid + "/status"))
                                .split("\n", -1))
                        .filter(l -> l.startsWith("VmRSS:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                        .findFirst()
                        .orElse(-1L);
                return new Usage(cpu, rss);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
