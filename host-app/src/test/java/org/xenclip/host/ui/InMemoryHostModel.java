package org.xenclip.host.ui;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.xenclip.host.vm.HostModel;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/**
 * A HostModel without an engine, for UI tests and the screenshot demo: it keeps VM snapshots and calls
 * its listeners on its own "engine" thread, as the real engine does.
 */
public final class InMemoryHostModel implements HostModel {

    private final Map<String, VmStatus> vms = new TreeMap<>();
    private final List<Consumer<List<VmStatus>>> vmListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<HostNotification>> notificationListeners = new CopyOnWriteArrayList<>();
    private final List<String> modeChanges = new CopyOnWriteArrayList<>();
    private final ExecutorService engine = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "test-engine");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean paused;

    public static VmStatus vm(String name, VmState state, SyncMode mode) {
        return new VmStatus(
                name,
                "/run/xen/" + name + ".sock",
                "socket-dir",
                state,
                mode,
                state == VmState.CONNECTED,
                Optional.empty(),
                0,
                0,
                Optional.empty(),
                Optional.empty());
    }

    public static VmStatus withTraffic(VmStatus vm, Instant lastSync, long toGuest, long fromGuest) {
        return new VmStatus(
                vm.name(),
                vm.socketPath(),
                vm.source(),
                vm.state(),
                vm.mode(),
                vm.agentAlive(),
                Optional.of(lastSync),
                toGuest,
                fromGuest,
                vm.lastError(),
                vm.pausedReason());
    }

    public static VmStatus withError(VmStatus vm, VmState state, String error) {
        return new VmStatus(
                vm.name(),
                vm.socketPath(),
                vm.source(),
                state,
                vm.mode(),
                false,
                vm.lastSync(),
                vm.bytesToGuest(),
                vm.bytesFromGuest(),
                Optional.of(error),
                vm.pausedReason());
    }

    public static VmStatus withMode(VmStatus vm, SyncMode mode) {
        return new VmStatus(
                vm.name(),
                vm.socketPath(),
                vm.source(),
                mode == SyncMode.OFF ? VmState.OFF : vm.state() == VmState.OFF ? VmState.CONNECTING : vm.state(),
                mode,
                vm.agentAlive(),
                vm.lastSync(),
                vm.bytesToGuest(),
                vm.bytesFromGuest(),
                vm.lastError(),
                vm.pausedReason());
    }

    /** Adds or replaces VMs and tells the listeners. */
    public void put(VmStatus... snapshots) {
        synchronized (vms) {
            for (VmStatus vm : snapshots) {
                vms.put(vm.name(), vm);
            }
        }
        fire();
    }

    public void update(String name, UnaryOperator<VmStatus> change) {
        synchronized (vms) {
            vms.computeIfPresent(name, (key, vm) -> change.apply(vm));
        }
        fire();
    }

    public void remove(String name) {
        synchronized (vms) {
            vms.remove(name);
        }
        fire();
    }

    public void announce(HostNotification notification) {
        engine.execute(() -> notificationListeners.forEach(listener -> listener.accept(notification)));
    }

    public SyncMode mode(String name) {
        synchronized (vms) {
            VmStatus vm = vms.get(name);
            return vm == null ? null : vm.mode();
        }
    }

    /** Every setMode call, as "name=MODE", in order. */
    public List<String> modeChanges() {
        return List.copyOf(modeChanges);
    }

    private void fire() {
        List<VmStatus> snapshot = vms();
        engine.execute(() -> vmListeners.forEach(listener -> listener.accept(snapshot)));
    }

    @Override
    public List<VmStatus> vms() {
        synchronized (vms) {
            return List.copyOf(new ArrayList<>(vms.values()));
        }
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
        modeChanges.add(vmName + "=" + mode);
        update(vmName, vm -> withMode(vm, mode));
    }

    @Override
    public boolean isPaused() {
        return paused;
    }

    @Override
    public void setPaused(boolean paused) {
        this.paused = paused;
        fire();
    }
}
