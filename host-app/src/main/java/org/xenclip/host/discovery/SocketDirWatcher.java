package org.xenclip.host.discovery;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.host.settings.VmNames;

/**
 * Watches a directory for {@code *.sock} channel sockets; the VM name is the file stem. A directory that does
 * not exist yet is polled for until it does (Xen creates {@code /run/xen} when the toolstack starts).
 */
public final class SocketDirWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SocketDirWatcher.class.getName());
    static final String SUFFIX = ".sock";
    /** How often a missing directory is looked for again. */
    static final Duration MISSING_DIR_POLL = Duration.ofSeconds(2);

    private final Path dir;
    private final Consumer<Map<String, VmEntry>> sink;
    private final Thread thread;
    private volatile boolean closed;
    private volatile WatchService watch;

    public SocketDirWatcher(Path dir, Consumer<Map<String, VmEntry>> sink) {
        this.dir = dir;
        this.sink = sink;
        this.thread = new Thread(this::run, "discovery-socket-dir");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.log(Level.SEVERE, "socket directory watcher died", e));
    }

    public void start() {
        thread.start();
    }

    /** The sockets in {@code dir} now, by VM name; names the app cannot use are skipped with a warning. */
    static Map<String, VmEntry> scan(Path dir) throws IOException {
        Map<String, VmEntry> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                String name = file.substring(0, file.length() - SUFFIX.length());
                try {
                    VmNames.check(name);
                } catch (IllegalArgumentException e) {
                    LOG.warning(() -> "ignoring socket " + p + ": " + e.getMessage());
                    continue;
                }
                if (Files.isDirectory(p)) {
                    continue;
                }
                found.put(name, new VmEntry(name, p, VmEntry.Source.SOCKET_DIR));
            }
        }
        return found;
    }

    private void run() {
        boolean warned = false;
        while (!closed) {
            if (!Files.isDirectory(dir)) {
                if (!warned) {
                    LOG.info(() -> "socket directory " + dir + " does not exist yet; looking again every "
                            + MISSING_DIR_POLL.toSeconds() + " s");
                    warned = true;
                }
                sink.accept(Map.of());
                sleep(MISSING_DIR_POLL);
                continue;
            }
            try (WatchService ws = dir.getFileSystem().newWatchService()) {
                watch = ws;
                dir.register(
                        ws,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE,
                        StandardWatchEventKinds.OVERFLOW);
                sink.accept(scan(dir));
                while (!closed) {
                    WatchKey key = ws.poll(MISSING_DIR_POLL.toMillis(), TimeUnit.MILLISECONDS);
                    if (key == null) {
                        if (!Files.isDirectory(dir)) {
                            break; // removed: back to polling for it
                        }
                        continue;
                    }
                    key.pollEvents();
                    sink.accept(scan(dir));
                    if (!key.reset()) {
                        break;
                    }
                }
            } catch (ClosedWatchServiceException e) {
                return;
            } catch (IOException e) {
                LOG.warning(() -> "watching " + dir + " failed: " + e.getMessage() + "; retrying");
                sleep(MISSING_DIR_POLL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // polling a directory that does not exist: no event to wait for
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        WatchService ws = watch;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing the watch service", e);
            }
        }
    }
}
