package org.xenclip.host.settings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The current {@link Settings} and their file. Every {@link #update} replaces the value at once and saves it
 * after {@link #DEFAULT_DEBOUNCE} of quiet, so a burst of toggles costs one write. A file that cannot be read
 * is reported, kept beside the original as {@code settings.properties.broken}, and replaced by defaults:
 * never fatal.
 *
 * <p>With {@link #watchFile}, an edit of the file by someone else while the app runs (a text editor, {@code
 * sed}, configuration management) is read and applied; a broken edit is reported and ignored, and the last
 * good settings stay in use. This is how {@code --no-ui} changes modes live.
 */
public final class SettingsStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SettingsStore.class.getName());

    public static final String FILE_NAME = "settings.properties";
    public static final String BROKEN_SUFFIX = ".broken";
    /** Long enough to merge a burst of clicks, short enough that a crash loses at most one toggle. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(500);
    /** A settings file is a few kilobytes; anything this large is not ours. */
    static final long MAX_FILE_BYTES = 1L << 20;

    private final Path file;
    private final Duration debounce;
    private final AtomicReference<Settings> current;
    private final Optional<String> loadProblem;
    private final List<Consumer<Settings>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<String> problems;
    private final ScheduledExecutorService saver;
    private final Object saveLock = new Object();
    private ScheduledFuture<?> pendingSave; // guarded by saveLock
    private final List<BiConsumer<Settings, Settings>> editListeners = new CopyOnWriteArrayList<>();
    /** The file's bytes as this store last wrote them: seeing them again is our own save, not an edit. */
    private volatile byte[] lastWritten = new byte[0];

    private volatile WatchService watchService;
    private ScheduledFuture<?> pendingReload; // guarded by saveLock

    private SettingsStore(
            Path file, Duration debounce, Settings initial, Optional<String> loadProblem, Consumer<String> problems) {
        this.file = file;
        this.debounce = debounce;
        this.current = new AtomicReference<>(initial);
        this.loadProblem = loadProblem;
        this.problems = problems;
        this.saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "settings-save");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.SEVERE, "settings save failed", e));
            return t;
        });
    }

    /** {@code $XDG_CONFIG_HOME/xenclip}, or {@code ~/.config/xenclip} when the variable is unset or relative. */
    public static Path defaultDirectory(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "xenclip");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "xenclip");
    }

    /**
     * Reads {@code dir/settings.properties}. A missing file means defaults (written on the first change); a
     * broken one is moved aside, reported to {@code problems}, and replaced by defaults at once.
     */
    public static SettingsStore open(Path dir, Duration debounce, Consumer<String> problems) {
        Objects.requireNonNull(problems, "problems");
        Path file = dir.resolve(FILE_NAME);
        Settings initial = Settings.defaults();
        Optional<String> problem = Optional.empty();
        boolean saveNow = false;
        try {
            initial = read(file);
        } catch (NoSuchFileException e) {
            LOG.fine(() -> "no settings file at " + file + "; using defaults");
        } catch (SettingsException e) {
            Path aside = file.resolveSibling(FILE_NAME + BROKEN_SUFFIX);
            String moved;
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                moved = "kept as " + aside;
            } catch (IOException moveFailure) {
                moved = "could not be moved aside (" + moveFailure.getMessage() + ")";
            }
            problem = Optional.of("settings file " + file + " is broken (" + e.getMessage() + "); it was " + moved
                    + " and the defaults are used");
            saveNow = true;
        } catch (IOException e) {
            // Unreadable is not broken: leave the file alone, it may be fine once the permissions are.
            problem = Optional.of(
                    "cannot read settings file " + file + " (" + e.getMessage() + "); the defaults are used");
        }
        SettingsStore store = new SettingsStore(file, debounce, initial, problem, problems);
        problem.ifPresent(m -> {
            LOG.warning(m);
            problems.accept(m);
        });
        if (saveNow) {
            store.scheduleSave();
        }
        return store;
    }

    static Settings read(Path file) throws IOException, SettingsException {
        return parse(readBytes(file));
    }

    private static byte[] readBytes(Path file) throws IOException, SettingsException {
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new SettingsException("file is " + size + " bytes, limit " + MAX_FILE_BYTES);
        }
        return Files.readAllBytes(file);
    }

    private static Settings parse(byte[] bytes) throws SettingsException {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SettingsException("not UTF-8 text", e);
        }
        return SettingsFormat.parse(text);
    }

    public Path file() {
        return file;
    }

    public Settings current() {
        return current.get();
    }

    /** Why the file was not used at start, if it was broken. */
    public Optional<String> loadProblem() {
        return loadProblem;
    }

    /** Called with the new settings after every change, on the thread that made the change. */
    public void addListener(Consumer<Settings> listener) {
        listeners.add(listener);
    }

    /**
     * Called with the settings before and after an edit of the file made outside the app (see {@link
     * #watchFile}), on the store's own thread, after the ordinary listeners.
     */
    public void addFileEditListener(BiConsumer<Settings, Settings> listener) {
        editListeners.add(listener);
    }

    /**
     * Watches the settings file and applies edits made outside the app, once the file has been quiet for
     * {@code settle} (an editor may write it in several steps). A file that no longer parses is reported and
     * ignored: the last good settings stay in use, and the file is left as it is for the user to fix. A
     * directory that cannot be watched is reported; the app then runs without live edits.
     */
    public void watchFile(Duration settle) {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
            WatchService ws = dir.getFileSystem().newWatchService();
            dir.register(
                    ws,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            watchService = ws;
            Thread t = new Thread(() -> watchLoop(ws, settle), "settings-watch");
            t.setDaemon(true);
            t.start();
            LOG.info(() -> "watching " + file + " for edits");
        } catch (IOException | UnsupportedOperationException e) {
            String m = "cannot watch " + dir + " for edits (" + e.getMessage()
                    + "); edits of the settings file apply at the next start";
            LOG.warning(m);
            problems.accept(m);
        }
    }

    private void watchLoop(WatchService ws, Duration settle) {
        Path name = file.getFileName();
        while (true) {
            WatchKey key;
            try {
                key = ws.take();
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                return;
            }
            boolean ours = false;
            for (WatchEvent<?> ev : key.pollEvents()) {
                // An overflow may hide an event for our file; a rename into place shows as a create.
                ours |= ev.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(ev.context());
            }
            if (ours) {
                scheduleReload(settle);
            }
            if (!key.reset()) {
                LOG.warning(() -> "stopped watching " + file.getParent() + ": the directory is gone");
                return;
            }
        }
    }

    private void scheduleReload(Duration settle) {
        synchronized (saveLock) {
            if (pendingReload != null) {
                pendingReload.cancel(false);
            }
            if (saver.isShutdown()) {
                return;
            }
            pendingReload = saver.schedule(this::reload, settle.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Re-reads the file after an outside change; runs on the {@code settings-save} thread. */
    void reload() {
        byte[] bytes;
        Settings edited;
        try {
            bytes = readBytes(file);
            if (java.util.Arrays.equals(bytes, lastWritten)) {
                return; // our own save
            }
            edited = parse(bytes); // the bytes just compared, not a second read the file may have changed under
        } catch (NoSuchFileException e) {
            LOG.info(() -> "settings file " + file + " was removed; the current settings stay in use");
            return;
        } catch (SettingsException e) {
            String m = "settings file " + file + " was edited and is broken (" + e.getMessage()
                    + "); the edit is ignored and the last good settings stay in use";
            LOG.warning(m);
            problems.accept(m);
            return;
        } catch (IOException e) {
            String m = "cannot read the edited settings file " + file + " (" + e.getMessage()
                    + "); the current settings stay in use";
            LOG.warning(m);
            problems.accept(m);
            return;
        }
        Settings before = current.getAndSet(edited);
        if (edited.equals(before)) {
            return;
        }
        LOG.info(() -> "settings file " + file + " was edited; applying it");
        for (Consumer<Settings> l : listeners) {
            l.accept(edited);
        }
        for (BiConsumer<Settings, Settings> l : editListeners) {
            l.accept(before, edited);
        }
    }

    /** Applies {@code change} atomically and schedules a save. */
    public Settings update(UnaryOperator<Settings> change) {
        Settings before;
        Settings after;
        do {
            before = current.get();
            after = change.apply(before);
        } while (!current.compareAndSet(before, after));
        if (!after.equals(before)) {
            scheduleSave();
            for (Consumer<Settings> l : listeners) {
                l.accept(after);
            }
        }
        return after;
    }

    private void scheduleSave() {
        synchronized (saveLock) {
            if (pendingSave != null) {
                pendingSave.cancel(false);
            }
            if (saver.isShutdown()) {
                return;
            }
            pendingSave = saver.schedule(this::saveQuietly, debounce.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Writes a pending change now (at quit, and in tests). */
    public void flush() {
        ScheduledFuture<?> pending;
        synchronized (saveLock) {
            pending = pendingSave;
            pendingSave = null;
        }
        if (pending != null && pending.cancel(false)) {
            saveQuietly();
        }
    }

    private void saveQuietly() {
        try {
            save(current.get());
        } catch (IOException e) {
            String m = "could not save settings to " + file + ": " + e.getMessage();
            LOG.warning(m);
            problems.accept(m);
        }
    }

    private synchronized void save(Settings s) throws IOException {
        byte[] bytes = SettingsFormat.format(s).getBytes(StandardCharsets.UTF_8);
        lastWritten = bytes;
        AtomicFiles.write(file, bytes);
    }

    @Override
    public void close() {
        flush();
        saver.shutdown();
        WatchService ws = watchService;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing the settings watch", e);
            }
        }
    }
}
