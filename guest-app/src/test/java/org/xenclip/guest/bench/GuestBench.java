package org.xenclip.guest.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.xenclip.channelsim.ChannelConfig;
import org.xenclip.channelsim.SimulatedChannel;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.desktop.x11.X11Clipboard;
import org.xenclip.guest.agent.Dom0End;
import org.xenclip.protocol.ClipboardText;

/**
 * Measures the packaged agent as a real process ({@code java -jar guest-app/target/xenclip-guest.jar}) on a
 * private Xvfb, with the channel simulator's pty as its device and a protocol server on the socket:
 * start-up to "device open, watching", steady RSS, idle CPU, copy-to-wire latency. Run by
 * {@code scripts/bench-guest.sh}, which writes the numbers to docs/benchmarks/guest.md.
 *
 * <p>Arguments: jar path, idle seconds, latency samples. Prints one {@code key=value} line per result.
 */
public final class GuestBench {

    private GuestBench() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int idleSeconds = Integer.parseInt(args[1]);
        int samples = Integer.parseInt(args[2]);
        int starts = Integer.parseInt(args.length > 3 ? args[3] : "5");
        Path dir = Files.createTempDirectory("xenclip-bench-");
        long clkTck = Long.parseLong(run("getconf", "CLK_TCK").strip());

        // AWT in this JVM sets the clipboard as the user would: shared() points AWT at the server
        XvfbServer xvfb = XvfbServer.shared();
        X11Clipboard user = X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD);
        try (SimulatedChannel channel = SimulatedChannel.start(
                ChannelConfig.of("bench", dir.resolve("clip.sock")).withDeviceLink(dir.resolve("hvc")))) {

            List<Long> startMillis = new ArrayList<>();
            for (int i = 0; i < starts; i++) {
                Agent a = Agent.launch(jar, channel.devicePath(), xvfb);
                startMillis.add(a.awaitWatching());
                a.stop();
            }
            Collections.sort(startMillis);
            System.out.println("start_ms_median=" + startMillis.get(startMillis.size() / 2));
            System.out.println("start_ms_all=" + startMillis);

            Agent agent = Agent.launch(jar, channel.devicePath(), xvfb);
            agent.awaitWatching();
            try (Dom0End dom0 = Dom0End.connect(channel.socketPath())) {
                Await.until("established", Duration.ofSeconds(30), dom0::isEstablished);

                List<Double> latencies = new ArrayList<>();
                for (int i = 0; i < samples; i++) {
                    ClipboardText text = ClipboardText.of("bench sample " + i + " " + System.nanoTime());
                    long t0 = System.nanoTime();
                    user.write(text.text(), Duration.ofSeconds(5));
                    if (System.getenv("BENCH_VERBOSE") != null) {
                        System.err.printf(
                                Locale.ROOT,
                                "%.1f bench wrote sample %d (write took %.1f ms)%n",
                                (System.nanoTime() - agent.launchedAt) / 1e6,
                                i,
                                (System.nanoTime() - t0) / 1e6);
                    }
                    Await.until("sample " + i + " at dom0", Duration.ofSeconds(10), () -> dom0.arrivalOf(text) > 0);
                    latencies.add((dom0.arrivalOf(text) - t0) / 1e6);
                    // let the agent settle (its confirming read) before the next copy
                    Thread.sleep(300);
                }
                Collections.sort(latencies);
                System.out.printf(
                        Locale.ROOT,
                        "latency_ms_median=%.1f%nlatency_ms_p90=%.1f%nlatency_ms_min=%.1f%nlatency_ms_max=%.1f%n",
                        latencies.get(latencies.size() / 2),
                        latencies.get((int) (latencies.size() * 0.9)),
                        latencies.get(0),
                        latencies.get(latencies.size() - 1));

                // idle: no clipboard activity, no heartbeats; CPU from /proc/<pid>/stat, RSS from status
                Thread.sleep(2000);
                long rssBefore = rssKib(agent.pid());
                long ticks0 = cpuTicks(agent.pid());
                long w0 = System.nanoTime();
                Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
                long ticks1 = cpuTicks(agent.pid());
                double wall = (System.nanoTime() - w0) / 1e9;
                long rssAfter = rssKib(agent.pid());
                double cpuPercent = 100.0 * (ticks1 - ticks0) / clkTck / wall;
                System.out.printf(Locale.ROOT, "idle_seconds=%.1f%nidle_cpu_percent=%.3f%n", wall, cpuPercent);
                System.out.println("idle_cpu_ticks=" + (ticks1 - ticks0) + " (CLK_TCK " + clkTck + ")");
                System.out.printf(Locale.ROOT, "rss_mib_steady=%.1f%n", rssAfter / 1024.0);
                System.out.printf(Locale.ROOT, "rss_mib_before_idle=%.1f%n", rssBefore / 1024.0);
                System.out.printf(Locale.ROOT, "pss_mib_steady=%.1f%n", pssKib(agent.pid()) / 1024.0);
                System.out.println("rss_mib_peak=" + String.format(Locale.ROOT, "%.1f", hwmKib(agent.pid()) / 1024.0));
            } finally {
                agent.stop();
            }
        } finally {
            user.close();
        }
        System.exit(0);
    }

    /** The agent process and the moment it said "device open, watching". */
    private static final class Agent {
        private final Process process;
        private final long launchedAt;
        private final CountDownLatch watching = new CountDownLatch(1);
        private volatile long watchingAt;

        private Agent(Process process, long launchedAt) {
            this.process = process;
            this.launchedAt = launchedAt;
        }

        static Agent launch(Path jar, Path device, XvfbServer xvfb) throws IOException {
            ProcessBuilder pb = xvfb.configure(new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    jar.toString(),
                    "--device",
                    device.toString()));
            if (System.getenv("BENCH_VERBOSE") != null) {
                pb.command().add("--verbose");
            }
            String jvmOptions = System.getenv("BENCH_JVM_OPTIONS");
            if (jvmOptions != null && !jvmOptions.isBlank()) {
                pb.command().addAll(1, List.of(jvmOptions.trim().split("\\s+")));
            }
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            long t0 = System.nanoTime();
            Agent a = new Agent(pb.start(), t0);
            Thread reader = new Thread(() -> a.readLog(), "bench-agent-log");
            reader.setDaemon(true);
            reader.start();
            return a;
        }

        private void readLog() {
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    if (System.getenv("BENCH_VERBOSE") != null) {
                        System.err.printf(Locale.ROOT, "%.1f %s%n", (System.nanoTime() - launchedAt) / 1e6, line);
                    }
                    if (line.contains("device open, watching") && watching.getCount() > 0) {
                        watchingAt = System.nanoTime();
                        watching.countDown();
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }

        long awaitWatching() throws InterruptedException {
            if (!watching.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("agent never said 'device open, watching'");
            }
            return (watchingAt - launchedAt) / 1_000_000;
        }

        long pid() {
            return process.pid();
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after the command name in parentheses; utime and stime are fields 14 and 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKib(long pid) throws IOException {
        return statusKib(pid, "VmRSS:");
    }

    /** Proportional set size: shared pages (libjvm, the CDS archive, X libraries) counted by their share. */
    private static long pssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.substring(4).replace("kB", "").strip());
            }
        }
        throw new IOException("Pss missing for " + pid);
    }

    private static long hwmKib(long pid) throws IOException {
        return statusKib(pid, "VmHWM:");
    }

    private static long statusKib(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(
                        line.substring(key.length()).replace("kB", "").strip());
            }
        }
        throw new IOException(key + " missing for " + pid);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
