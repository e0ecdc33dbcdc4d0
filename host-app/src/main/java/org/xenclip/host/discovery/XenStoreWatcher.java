package org.xenclip.host.discovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.host.settings.VmNames;

/**
 * Finds channel sockets in XenStore with the {@code xenstore-*} command-line tools: each
 * {@code /local/domain/0/backend/console/<domid>/<devid>/} whose {@code name} is our channel and whose
 * {@code connection} is {@code socket} gives a {@code path}; the VM name is {@code /local/domain/<domid>/name}.
 * {@code xenstore-watch} on the backend directory tells when to look again.
 */
public final class XenStoreWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(XenStoreWatcher.class.getName());

    public static final String CHANNEL_NAME = "org.xenproject.guest.clipboard.0.1";
    static final String BACKEND = "/local/domain/0/backend/console";
    /** A burst of watch events (a domain starting writes many keys) costs one rescan. */
    static final Duration RESCAN_DEBOUNCE = Duration.ofMillis(300);
    /** How long one tool run may take before it is killed. */
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(10);
    /** Retry a failed watch after this long. */
    static final Duration RETRY = Duration.ofSeconds(10);

    private final Path toolsDir;
    private final Consumer<Map<String, VmEntry>> sink;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Process watchProcess;

    /** @param toolsDir where {@code xenstore-ls}, {@code xenstore-read} and {@code xenstore-watch} live */
    public XenStoreWatcher(Path toolsDir, Consumer<Map<String, VmEntry>> sink) {
        this.toolsDir = toolsDir;
        this.sink = sink;
        this.thread = new Thread(this::run, "discovery-xenstore");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.log(Level.SEVERE, "XenStore watcher died", e));
    }

    /** The directory on PATH holding {@code xenstore-ls}, if this looks like a Xen dom0 at all. */
    public static Optional<Path> findTools(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String d : path.split(":", -1)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "xenstore-ls"))) {
                return Optional.of(Path.of(d));
            }
        }
        return Optional.empty();
    }

    public void start() {
        thread.start();
    }

    /** One channel device: {@code /local/domain/0/backend/console/<domid>/<devid>}. */
    record Backend(String domid, String devid, Map<String, String> keys) {}

    /**
     * Parses {@code xenstore-ls -f} output ({@code /full/path = "value"} per line) under {@link #BACKEND} into
     * the clipboard channels with a socket: domid to socket path.
     */
    static Map<String, Path> parseBackends(List<String> lines) {
        Map<String, Map<String, String>> byDevice = new TreeMap<>();
        String prefix = BACKEND + "/";
        for (String line : lines) {
            int eq = line.indexOf(" = ");
            if (eq < 0 || !line.startsWith(prefix)) {
                continue;
            }
            String[] parts = line.substring(prefix.length(), eq).split("/", -1);
            if (parts.length != 3) {
                continue;
            }
            byDevice.computeIfAbsent(parts[0] + "/" + parts[1], k -> new TreeMap<>())
                    .put(parts[2], unquote(line.substring(eq + 3)));
        }
        Map<String, Path> out = new TreeMap<>();
        byDevice.forEach((device, keys) -> {
            if (CHANNEL_NAME.equals(keys.get("name"))
                    && "socket".equals(keys.get("connection"))
                    && keys.get("path") != null
                    && keys.get("path").startsWith("/")) {
                out.putIfAbsent(device.substring(0, device.indexOf('/')), Path.of(keys.get("path")));
            }
        });
        return out;
    }

    /** xenstore-ls quotes values and escapes like C; the values we read are paths and names. */
    static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    Map<String, VmEntry> scan() throws IOException, InterruptedException {
        List<String> lines = runTool(List.of("xenstore-ls", "-f", BACKEND), true);
        Map<String, VmEntry> found = new TreeMap<>();
        for (Map.Entry<String, Path> e : parseBackends(lines).entrySet()) {
            List<String> name = runTool(List.of("xenstore-read", "/local/domain/" + e.getKey() + "/name"), false);
            if (name.isEmpty()) {
                continue; // the domain went away between the two reads
            }
            String vm = unquote(name.get(0));
            try {
                VmNames.check(vm);
            } catch (IllegalArgumentException ex) {
                LOG.warning(() -> "ignoring domain " + e.getKey() + ": " + ex.getMessage());
                continue;
            }
            found.put(vm, new VmEntry(vm, e.getValue(), VmEntry.Source.XENSTORE));
        }
        return found;
    }

    private List<String> runTool(List<String> command, boolean required) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        cmd.set(0, toolsDir.resolve(command.get(0)).toString());
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        }
        if (!p.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + TOOL_TIMEOUT.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            if (required) {
                // No backend directory yet simply means no channels.
                LOG.fine(() -> String.join(" ", command) + " exited with " + p.exitValue());
            }
            return List.of();
        }
        return lines;
    }

    private void run() {
        while (!closed) {
            try {
                sink.accept(scan());
                Process w = new ProcessBuilder(
                                toolsDir.resolve("xenstore-watch").toString(), BACKEND)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                watchProcess = w;
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(w.getInputStream(), StandardCharsets.UTF_8))) {
                    while (!closed && r.readLine() != null) {
                        // Let the burst of writes of one domain start or stop settle, then rescan once.
                        long until = System.nanoTime() + RESCAN_DEBOUNCE.toNanos();
                        while (System.nanoTime() < until) {
                            if (r.ready()) {
                                r.readLine();
                            } else {
                                Thread.sleep(20);
                            }
                        }
                        sink.accept(scan());
                    }
                } finally {
                    w.destroy();
                }
                if (!closed) {
                    LOG.warning("xenstore-watch ended; starting it again in " + RETRY.toSeconds() + " s");
                    Thread.sleep(RETRY.toMillis());
                }
            } catch (IOException e) {
                LOG.warning(() ->
                        "XenStore discovery failed: " + e.getMessage() + "; retrying in " + RETRY.toSeconds() + " s");
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Process w = watchProcess;
        if (w != null) {
            w.destroy();
        }
        thread.interrupt();
    }
}
