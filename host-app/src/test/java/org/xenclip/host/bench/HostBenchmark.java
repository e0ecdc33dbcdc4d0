package org.xenclip.host.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.TestGuest;

/**
 * The host app benchmark (issue 3): the real jar, {@code --no-ui}, on its own Xvfb, against N simulated VMs
 * (a Unix socket with a real protocol client each, in this JVM). Not a test: excluded from the normal run,
 * started by {@code scripts/bench-host.sh}, writes its numbers to {@code -Dbench.report}.
 */
class HostBenchmark {

    // Settings come from the environment: surefire passes it to the forked JVM unchanged.
    static final int VMS = env("VMS", 200);
    static final int IDLE_VMS = env("IDLE_VMS", 10);
    static final int COPIES = env("COPIES", 100);
    static final int WARMUP = 10;
    static final Duration IDLE_SAMPLE = Duration.ofSeconds(env("IDLE_SECONDS", 60));
    /** JVM options for the host app, as packaging would pass them; empty means the JVM's defaults. */
    static final List<String> HOST_JAVA_OPTS = words(System.getenv().getOrDefault("HOST_JAVA_OPTS", ""));

    static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    @TempDir
    Path tmp;

    private static int env(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.trim().split("\\s+", -1));
    }

    @Test
    void run() throws Exception {
        Path jar = Path.of(System.getProperty("bench.jar", "target/xenclip-host.jar"))
                .toAbsolutePath();
        assertThat(jar)
                .as("build the jar first: ./mvnw -pl host-app -am package -DskipTests")
                .exists();
        Path report = Path.of(System.getenv().getOrDefault("BENCH_REPORT", "target/bench-host.md"));
        StringBuilder out = new StringBuilder();
        try (XvfbServer x = XvfbServer.start();
                XClip user = new XClip(x)) {
            latencyAndRss(jar, x, user, out);
            if (IDLE_SAMPLE.toSeconds() > 0) {
                idleCpu(jar, x, out);
            }
        }
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, out.toString(), StandardCharsets.UTF_8);
        System.out.println(out);
    }

    private Process startHost(Path jar, XvfbServer x, Path socketDir, Path config, Path log) throws IOException {
        Files.createDirectories(config);
        Files.writeString(config.resolve("settings.properties"), "default-mode=both\n");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(HOST_JAVA_OPTS);
        cmd.addAll(List.of(
                "-jar",
                jar.toString(),
                "--no-ui",
                "--no-xenstore",
                "--socket-dir",
                socketDir.toString(),
                "--config",
                config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        x.configure(pb);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private void latencyAndRss(Path jar, XvfbServer x, XClip user, StringBuilder out) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("socks"));
        List<TestGuest> guests = new ArrayList<>();
        for (int i = 0; i < VMS; i++) {
            guests.add(new TestGuest("vm" + i, dir.resolve(String.format(Locale.ROOT, "vm%03d.sock", i))));
        }
        Path log = tmp.resolve("host-200.log");
        Process host = startHost(jar, x, dir, tmp.resolve("cfg200"), log);
        long t0 = System.nanoTime();
        try {
            Await.until(VMS + " VMs established", Duration.ofMinutes(3), () -> guests.stream()
                    .allMatch(TestGuest::established));
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            List<Double> ms = new ArrayList<>();
            for (int i = 0; i < WARMUP + COPIES; i++) {
                String text = "benchmark copy " + i + " €";
                long start = System.nanoTime();
                user.set(Selection.CLIPBOARD, text);
                Await.until("copy " + i + " reached all VMs", Duration.ofSeconds(30), () -> guests.stream()
                        .allMatch(g -> g.lastReceivedIs(text)));
                long last = guests.stream()
                        .mapToLong(TestGuest::lastReceivedNanos)
                        .max()
                        .orElseThrow();
                if (i >= WARMUP) {
                    ms.add((last - start) / 1e6);
                }
            }
            Collections.sort(ms);
            long rss = procStatusKb(host.pid(), "VmRSS");
            long hwm = procStatusKb(host.pid(), "VmHWM");
            long threads = procStatusKb(host.pid(), "Threads");
            out.append("## ")
                    .append(VMS)
                    .append(" VMs: one dom0 copy to all of them (host JVM options: ")
                    .append(HOST_JAVA_OPTS.isEmpty() ? "JVM defaults" : "`" + String.join(" ", HOST_JAVA_OPTS) + "`")
                    .append(")\n\n");
            out.append("| measure | value | target |\n|---|---|---|\n");
            out.append(row("time to connect all VMs (host start to last handshake)", f(connectSeconds) + " s", ""));
            out.append(row("copies measured (after " + WARMUP + " warm-up)", Integer.toString(ms.size()), ""));
            out.append(row("copy to all VMs, p50", f(pct(ms, 50)) + " ms", ""));
            out.append(row("copy to all VMs, p90", f(pct(ms, 90)) + " ms", ""));
            out.append(row("copy to all VMs, p99", f(pct(ms, 99)) + " ms", "<= 200 ms"));
            out.append(row("copy to all VMs, max", f(ms.get(ms.size() - 1)) + " ms", ""));
            out.append(row("RSS of the host app after the copies", rss / 1024 + " MiB", "<= 300 MiB"));
            out.append(row("peak RSS (VmHWM)", hwm / 1024 + " MiB", ""));
            out.append(row("threads in the host app", Long.toString(threads), ""));
            out.append('\n');
        } finally {
            host.destroy();
            host.waitFor();
            for (TestGuest g : guests) {
                g.close();
            }
        }
    }

    private void idleCpu(Path jar, XvfbServer x, StringBuilder out) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("idle-socks"));
        List<TestGuest> guests = new ArrayList<>();
        for (int i = 0; i < IDLE_VMS; i++) {
            guests.add(new TestGuest("idle" + i, dir.resolve("idle" + i + ".sock")));
        }
        Process host = startHost(jar, x, dir, tmp.resolve("cfg-idle"), tmp.resolve("host-idle.log"));
        try {
            Await.until(IDLE_VMS + " VMs established", Duration.ofSeconds(60), () -> guests.stream()
                    .allMatch(TestGuest::established));
            // Let start-up work (JIT, class loading) finish: it is not idle work.
            Thread.sleep(10_000); // a settling period, not synchronisation
            long before = cpuTicks(host.pid());
            long wallStart = System.nanoTime();
            Thread.sleep(IDLE_SAMPLE.toMillis()); // the measurement window itself
            long ticks = cpuTicks(host.pid()) - before;
            double wall = (System.nanoTime() - wallStart) / 1e9;
            double percent = 100.0 * ticks / CLOCK_TICKS / wall;
            assertThat(guests.stream().allMatch(TestGuest::established)).isTrue();
            out.append("## ")
                    .append(IDLE_VMS)
                    .append(" VMs connected, nothing copied: idle CPU (host JVM options: ")
                    .append(HOST_JAVA_OPTS.isEmpty() ? "JVM defaults" : "`" + String.join(" ", HOST_JAVA_OPTS) + "`")
                    .append(")\n\n");
            out.append("| measure | value | target |\n|---|---|---|\n");
            out.append(row("sample window", f(wall) + " s", ""));
            out.append(row("CPU time used by the host app (utime+stime)", ticks * 10 + " ms", ""));
            out.append(row("idle CPU", String.format(Locale.ROOT, "%.3f %% of a core", percent), "<= 0.3 %"));
            out.append('\n');
        } finally {
            host.destroy();
            host.waitFor();
            for (TestGuest g : guests) {
                g.close();
            }
        }
    }

    private static String row(String a, String b, String c) {
        return "| " + a + " | " + b + " | " + c + " |\n";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static double pct(List<Double> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    private static long procStatusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+", -1)[0]);
            }
        }
        throw new IOException(key + " not in /proc/" + pid + "/status");
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }
}
