package org.xenclip.host;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.host.connection.ConnectionEvent;
import org.xenclip.host.connection.ConnectionTiming;
import org.xenclip.host.connection.VmConnection;
import org.xenclip.host.discovery.SocketDirWatcher;
import org.xenclip.host.discovery.VmDirectory;
import org.xenclip.host.discovery.VmEntry;
import org.xenclip.host.discovery.XenStoreWatcher;
import org.xenclip.host.hub.ClipboardHub;
import org.xenclip.host.hub.HubAction;
import org.xenclip.host.settings.HeldTexts;
import org.xenclip.host.settings.Settings;
import org.xenclip.host.settings.SettingsFormat;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.vm.HostModel;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;

/**
 * The host app's engine: discovery, one {@link VmConnection} per enabled VM, the {@link ClipboardHub}, the
 * dom0 clipboard and the settings, behind {@link HostModel}. All of its state belongs to the {@code engine}
 * thread; everything else (connections, discovery, the clipboard, UI calls) hands work to it.
 */
final class HostEngine implements HostModel, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HostEngine.class.getName());
    /** How long a UI call waits for the engine to apply a mode or pause before returning anyway. */
    private static final long APPLY_WAIT_MILLIS = 2000;

    /** Where to look for VMs and how to reach them. */
    record Options(
            List<StaticVm> cliVms, Optional<Path> socketDir, Optional<Path> xenstoreTools, ConnectionTiming timing) {}

    private final SettingsStore store;
    private final Options options;
    private final LocalClipboard clipboard;
    private final ScheduledExecutorService engine;
    private final VmDirectory directory;
    private final List<Consumer<List<VmStatus>>> vmListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<HostNotification>> notificationListeners = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> watchers = new ArrayList<>();
    private volatile List<VmStatus> snapshot = List.of();
    private volatile boolean paused;
    private volatile Thread engineThread;

    // Engine thread only.
    private final Map<String, Vm> vms = new TreeMap<>();
    private final ClipboardHub hub;
    /** What each VM was last known to hold, by hash, for the next run. */
    private final HeldTexts heldTexts;

    private final HeldTextRecorder heldRecorder;

    private Settings settings;
    private boolean dirty;
    private boolean publishQueued;
    private ScheduledFuture<?> hubTick;
    private long hubTickAt = Long.MAX_VALUE;

    private static final class Vm {
        VmEntry entry;
        VmState state = VmState.OFF;
        SyncMode mode;
        boolean agentAlive;
        Instant lastSync;
        long bytesToGuest;
        long bytesFromGuest;
        String lastError;
        String pausedReason;
        VmConnection connection;

        VmStatus status() {
            return new VmStatus(
                    entry.name(),
                    entry.socketPath().toString(),
                    entry.source().label(),
                    state,
                    mode,
                    agentAlive,
                    Optional.ofNullable(lastSync),
                    bytesToGuest,
                    bytesFromGuest,
                    Optional.ofNullable(lastError),
                    Optional.ofNullable(pausedReason));
        }
    }

    HostEngine(SettingsStore store, Options options, LocalClipboard clipboard) {
        this.store = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.clipboard = Objects.requireNonNull(clipboard, "clipboard");
        this.settings = store.current();
        this.paused = settings.paused();
        this.heldTexts = HeldTexts.open(store.file().getParent());
        this.heldRecorder = new HeldTextRecorder(heldTexts);
        this.hub = new ClipboardHub(settings, HostEngine::now, heldRecorder::recordLater);
        this.engine = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.log(Level.SEVERE, "engine thread died", e));
            engineThread = t;
            return t;
        });
        this.directory = new VmDirectory(map -> post(() -> onDirectory(map)));
    }

    SettingsStore settingsStore() {
        return store;
    }

    /** Bytes read and processed from the VM's channel by its current connection (0 when none). */
    long bytesReceivedFrom(String vm) {
        try {
            return engine.submit(() -> {
                        Vm v = vms.get(vm);
                        return v == null || v.connection == null ? 0L : v.connection.bytesReceived();
                    })
                    .get(APPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        }
    }

    /** Starts discovery and the dom0 clipboard watch. */
    void start() {
        store.addListener(s -> post(() -> onSettings(s)));
        store.addFileEditListener((before, after) -> post(() -> onSettingsFileEdited(before, after)));
        store.loadProblem().ifPresent(m -> notifyUser(new HostNotification(HostNotification.Kind.ERROR, "", m)));
        directory.update(VmEntry.Source.CONFIG, explicitEntries(settings));
        Optional<Path> dir = options.socketDir().or(settings::socketDir);
        dir.ifPresent(d -> {
            SocketDirWatcher w = new SocketDirWatcher(d, m -> directory.update(VmEntry.Source.SOCKET_DIR, m));
            watchers.add(w);
            w.start();
        });
        options.xenstoreTools().ifPresent(t -> {
            XenStoreWatcher w = new XenStoreWatcher(t, m -> directory.update(VmEntry.Source.XENSTORE, m));
            watchers.add(w);
            w.start();
        });
        clipboard.start(c -> post(() -> onLocal(c)));
    }

    /** The config file's VMs, then the command line's, which win on the same name. */
    private Map<String, VmEntry> explicitEntries(Settings s) {
        Map<String, VmEntry> statics = new TreeMap<>();
        for (StaticVm v : s.staticVms()) {
            statics.put(v.name(), new VmEntry(v.name(), v.socketPath(), VmEntry.Source.CONFIG));
        }
        for (StaticVm v : options.cliVms()) {
            statics.put(v.name(), new VmEntry(v.name(), v.socketPath(), VmEntry.Source.CONFIG));
        }
        return statics;
    }

    /**
     * The settings file was edited while the app runs ({@link SettingsStore#watchFile}): a mode the edit
     * changed applies as if chosen in the window; only changed modes, so a {@code --vm ...,mode=} override
     * stands until the user edits that VM's line. The other settings arrive through {@link #onSettings}.
     */
    private void onSettingsFileEdited(Settings before, Settings after) {
        for (Vm v : new ArrayList<>(vms.values())) {
            String name = v.entry.name();
            Optional<SyncMode> edited = after.modeOf(name);
            if (edited.isPresent() && !edited.equals(before.modeOf(name)) && edited.get() != v.mode) {
                LOG.info(() -> "VM " + name + ": mode " + SettingsFormat.formatMode(edited.get())
                        + " from the edited settings file");
                applyMode(name, edited.get());
            }
        }
        if (!after.staticVms().equals(before.staticVms())) {
            directory.update(VmEntry.Source.CONFIG, explicitEntries(after));
        }
    }

    // ---- HostModel ----

    @Override
    public List<VmStatus> vms() {
        return snapshot;
    }

    @Override
    public void addVmListener(Consumer<List<VmStatus>> listener) {
        vmListeners.add(listener);
    }

    @Override
    public void addNotificationListener(Consumer<HostNotification> listener) {
        notificationListeners.add(listener);
    }

    @Override
    public void setMode(String vmName, SyncMode mode) {
        Objects.requireNonNull(mode, "mode");
        await(submit(() -> applyMode(vmName, mode)));
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public void setPaused(boolean p) {
        paused = p;
        store.update(s -> s.withPaused(p));
        await(submit(() -> onSettings(store.current())));
    }

    // ---- engine thread ----

    /** Hands a task to the engine thread. */
    private void post(Runnable task) {
        try {
            engine.execute(() -> runTask(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("engine stopped; dropped a task");
        }
    }

    /**
     * Hands a task to the engine thread, for callers that wait until it is done; the new snapshot is
     * published before the caller resumes, so {@link #vms()} already shows the change.
     */
    private Future<?> submit(Runnable task) {
        return engine.submit(() -> {
            runTask(task);
            publish();
        });
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "engine task failed", e);
        }
        afterTask();
    }

    private void await(Future<?> f) {
        if (Thread.currentThread() == engineThread) {
            return;
        }
        try {
            f.get(APPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "engine did not apply the change in time", e);
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000L;
    }

    private void afterTask() {
        long next = hub.nextDeadlineMillis();
        if (next != hubTickAt) {
            if (hubTick != null) {
                hubTick.cancel(false);
                hubTick = null;
            }
            hubTickAt = next;
            if (next != Long.MAX_VALUE) {
                hubTick = engine.schedule(
                        () -> {
                            hubTickAt = Long.MAX_VALUE;
                            hubTick = null;
                            run(hub.tick(now()));
                            afterTask();
                        },
                        Math.max(0, next - now()),
                        TimeUnit.MILLISECONDS);
            }
        }
        if (dirty && !publishQueued) {
            // Publish after the tasks already queued: a burst (200 VMs reporting a send) costs one snapshot.
            publishQueued = true;
            try {
                engine.execute(this::publish);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                publishQueued = false; // shutting down
            }
        }
    }

    private void publish() {
        publishQueued = false;
        if (!dirty) {
            return;
        }
        dirty = false;
        List<VmStatus> list = new ArrayList<>(vms.size());
        vms.values().forEach(v -> list.add(v.status()));
        snapshot = List.copyOf(list);
        for (Consumer<List<VmStatus>> l : vmListeners) {
            try {
                l.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "VM listener failed", e);
            }
        }
    }

    private void onDirectory(Map<String, VmEntry> found) {
        for (String gone : new ArrayList<>(vms.keySet())) {
            if (!found.containsKey(gone)) {
                Vm v = vms.remove(gone);
                stopConnection(v);
                hub.removeVm(gone);
                LOG.info(() -> "VM " + gone + " is gone");
                dirty = true;
            }
        }
        for (VmEntry e : found.values()) {
            Vm v = vms.get(e.name());
            if (v == null) {
                addVm(e);
            } else if (!v.entry.equals(e)) {
                boolean moved = !v.entry.socketPath().equals(e.socketPath());
                v.entry = e;
                dirty = true;
                if (moved && v.connection != null) {
                    stopConnection(v);
                    startConnection(v);
                }
            } else if (v.connection != null && v.state == VmState.WAITING_FOR_SOCKET) {
                v.connection.retryNow();
            }
        }
    }

    private void addVm(VmEntry e) {
        Vm v = new Vm();
        v.entry = e;
        Optional<SyncMode> cli = options.cliVms().stream()
                .filter(s -> s.name().equals(e.name()))
                .findFirst()
                .flatMap(StaticVm::mode);
        Optional<SyncMode> remembered = settings.modeOf(e.name());
        v.mode = cli.or(() -> remembered).orElse(settings.defaultMode());
        vms.put(e.name(), v);
        dirty = true;
        if (remembered.isEmpty()) {
            SyncMode m = v.mode;
            store.update(s -> s.withMode(e.name(), m));
            notifyUser(new HostNotification(
                    HostNotification.Kind.NEW_VM,
                    e.name(),
                    "new VM " + e.name() + " has a clipboard channel; its sync mode is " + SettingsFormat.formatMode(m)
                            + (m == SyncMode.OFF
                                    ? ": turn it on from the tray or the window to share the clipboard"
                                    : "")));
        }
        LOG.info(() -> "VM " + e.name() + " found (" + e.source().label() + ", " + e.socketPath() + "), mode "
                + SettingsFormat.formatMode(v.mode));
        run(hub.addVm(e.name(), v.mode));
        heldTexts.get(e.name()).ifPresent(hash -> hub.remember(e.name(), hash));
        if (v.mode != SyncMode.OFF) {
            startConnection(v);
        }
    }

    private void applyMode(String name, SyncMode mode) {
        Vm v = vms.get(name);
        if (v == null) {
            return;
        }
        SyncMode old = v.mode;
        v.mode = mode;
        dirty = true;
        store.update(s -> s.withMode(name, mode));
        if (mode == SyncMode.OFF) {
            // Off means no connection at all: nothing of this VM crosses its wire (issue 3).
            hub.vmUnlinked(name);
            run(hub.setMode(name, mode));
            stopConnection(v);
        } else {
            run(hub.setMode(name, mode));
            if (old == SyncMode.OFF || v.connection == null) {
                startConnection(v);
            }
        }
    }

    private void onSettings(Settings s) {
        boolean pauseChanged = s.paused() != settings.paused();
        boolean limitChanged = s.maxTextBytes() != settings.maxTextBytes();
        settings = s;
        paused = s.paused();
        hub.setSettings(s);
        if (pauseChanged) {
            run(hub.setPaused(s.paused()));
        }
        if (limitChanged) {
            vms.values().forEach(v -> {
                if (v.connection != null) {
                    v.connection.setSessionConfig(sessionConfig());
                }
            });
        }
    }

    private SessionConfig sessionConfig() {
        return SessionConfig.defaults()
                .withMaxPayloadBytes(settings.maxTextBytes())
                .withDesktopName("dom0");
    }

    private void startConnection(Vm v) {
        String name = v.entry.name();
        VmConnection[] self = new VmConnection[1];
        VmConnection c = new VmConnection(
                name,
                v.entry.socketPath(),
                sessionConfig(),
                hub.acceptsFrom(name),
                options.timing(),
                ev -> post(() -> onConnection(self[0], ev)));
        self[0] = c;
        v.connection = c;
        c.start();
    }

    private void stopConnection(Vm v) {
        VmConnection c = v.connection;
        if (c != null) {
            v.connection = null;
            hub.vmUnlinked(v.entry.name());
            closeAsync(c);
        }
        v.state = VmState.OFF;
        v.agentAlive = false;
        dirty = true;
    }

    private static void closeAsync(VmConnection c) {
        Thread t = new Thread(c::close, "close-" + c.vm());
        t.setDaemon(true);
        t.start();
    }

    /** Events of a connection already closed or replaced are dropped. */
    private void onConnection(VmConnection from, ConnectionEvent ev) {
        Vm v = vms.get(ev.vm());
        if (v == null || v.connection != from) {
            return;
        }
        dirty = true;
        if (ev instanceof ConnectionEvent.StateChanged s) {
            if (s.state() == VmState.OFF) {
                return; // the connection's thread ended because we closed it
            }
            v.state = s.state();
            if (s.state() != VmState.CONNECTED) {
                hub.vmUnlinked(v.entry.name());
            }
            if (s.reason().isPresent() && !s.reason().get().equals(v.lastError)) {
                v.lastError = s.reason().get();
                if (s.state() == VmState.ERROR) {
                    notifyUser(new HostNotification(HostNotification.Kind.ERROR, v.entry.name(), v.lastError));
                }
            }
        } else if (ev instanceof ConnectionEvent.Established) {
            run(hub.vmLinked(v.entry.name()));
        } else if (ev instanceof ConnectionEvent.Received r) {
            v.bytesFromGuest += r.text().utf8Size();
            v.lastSync = Instant.now();
            run(hub.vmText(v.entry.name(), r.text(), r.crossed(), now()));
        } else if (ev instanceof ConnectionEvent.TookText) {
            hub.vmTookText(v.entry.name());
        } else if (ev instanceof ConnectionEvent.GotText) {
            hub.vmGotText(v.entry.name());
        } else if (ev instanceof ConnectionEvent.Sent s) {
            v.bytesToGuest += s.bytes();
            v.lastSync = Instant.now();
        } else if (ev instanceof ConnectionEvent.AgentAlive a) {
            v.agentAlive = a.alive();
        } else if (ev instanceof ConnectionEvent.Oversize o) {
            notifyUser(new HostNotification(
                    HostNotification.Kind.OVERSIZE,
                    v.entry.name(),
                    "clipboard text of " + o.size() + " bytes for or from " + v.entry.name() + " exceeds the limit of "
                            + o.limit() + " bytes; dropped"));
        }
    }

    private void onLocal(Optional<LocalClipboard.Copied> copied) {
        if (copied.isEmpty()) {
            return;
        }
        run(hub.localChanged(ClipboardText.of(copied.get().text()), copied.get().secret()));
    }

    private void run(List<HubAction> actions) {
        for (HubAction a : actions) {
            if (a instanceof HubAction.SendToVm s) {
                Vm v = vms.get(s.vm());
                if (v != null && v.connection != null) {
                    v.connection.send(s.text());
                }
            } else if (a instanceof HubAction.WriteLocal w) {
                clipboard.write(w.text().text());
            } else if (a instanceof HubAction.AcceptIncoming ai) {
                Vm v = vms.get(ai.vm());
                if (v != null && v.connection != null) {
                    v.connection.setAcceptIncoming(ai.accept());
                }
            } else if (a instanceof HubAction.Notify n) {
                notifyUser(n.notification());
            } else if (a instanceof HubAction.CrossedTextLost r) {
                LOG.info(() -> r.vm() + ": its text of " + r.utf8Size()
                        + " bytes crossed the one dom0 sent it; dom0's stands on both sides");
            } else if (a instanceof HubAction.PauseChanged p) {
                Vm v = vms.get(p.vm());
                if (v != null) {
                    v.pausedReason = p.reason().orElse(null);
                    dirty = true;
                }
            }
        }
    }

    private void notifyUser(HostNotification n) {
        LOG.info(() -> "notification " + n.kind() + (n.vmName().isEmpty() ? "" : " [" + n.vmName() + "]") + ": "
                + n.message());
        for (Consumer<HostNotification> l : notificationListeners) {
            try {
                l.accept(n);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notification listener failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (AutoCloseable w : watchers) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing a watcher", e);
            }
        }
        List<VmConnection> conns = new ArrayList<>();
        try {
            engine.submit(() -> {
                        vms.values().forEach(v -> {
                            if (v.connection != null) {
                                conns.add(v.connection);
                                v.connection = null;
                            }
                        });
                    })
                    .get(APPLY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "engine did not stop in time", e);
        }
        engine.shutdownNow();
        Map<String, Thread> closers = new HashMap<>();
        for (VmConnection c : conns) {
            Thread t = new Thread(c::close, "close-" + c.vm());
            closers.put(c.vm(), t);
            t.start();
        }
        for (Thread t : closers.values()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heldRecorder.close();
        clipboard.close();
        store.close();
    }
}
