package org.xenclip.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardListener;

/**
 * The simulated VM's clipboard: the guest agent's only backend, and what the demo VM's window shows and
 * writes. It lives in memory, apart from the user's desktop clipboard, as a real VM's clipboard lives in the
 * VM's own X server; everything between it and the desktop is the real agent, protocol and host app.
 *
 * <p>Thread-safe: the agent reads and writes it on its own threads, the window on the FX thread. Listeners
 * are called on the writer's thread, for every write (the agent's own included, as the backend contract says).
 */
final class GuestClipboard implements ClipboardBackend {

    private static final Logger LOG = Logger.getLogger(GuestClipboard.class.getName());

    /** Who put the current text there: the window stands for the VM's user, the agent for dom0. */
    enum Origin {
        NONE,
        VM_USER,
        DOM0
    }

    /** What the clipboard holds now. */
    record State(Optional<String> text, Origin origin, Instant at) {

        State {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(at, "at");
        }

        /** For logs: never the text. */
        @Override
        public String toString() {
            return "State[" + text.map(t -> t.length() + " chars").orElse("empty") + ", from " + origin + "]";
        }
    }

    private final List<ClipboardListener> agentListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<State>> viewers = new CopyOnWriteArrayList<>();
    private volatile State state = new State(Optional.empty(), Origin.NONE, Instant.now());
    private volatile boolean closed;

    @Override
    public String name() {
        return "demo-vm-window";
    }

    @Override
    public Optional<ClipboardContent> read(Duration timeout) {
        return state.text().map(t -> new ClipboardContent(t, false));
    }

    /** The agent writes here what dom0 sent. */
    @Override
    public void write(String text, Duration timeout) {
        set(text, Origin.DOM0);
    }

    /** The VM's user copied {@code text} (the window's "Copy in the VM"). */
    void copyAsVmUser(String text) {
        set(text, Origin.VM_USER);
    }

    /** Synchronized so that viewers and the agent see the writes of two threads in one order. */
    private synchronized void set(String text, Origin origin) {
        Objects.requireNonNull(text, "text");
        if (closed) {
            return;
        }
        State next = new State(Optional.of(text), origin, Instant.now());
        state = next;
        LOG.fine(() -> "guest clipboard now " + next);
        for (Consumer<State> viewer : viewers) {
            viewer.accept(next);
        }
        for (ClipboardListener listener : agentListeners) {
            try {
                listener.selectionChanged();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "clipboard listener failed", e);
            }
        }
    }

    State state() {
        return state;
    }

    /** {@code viewer} gets every new state, on the writer's thread. */
    void view(Consumer<State> viewer) {
        viewers.add(Objects.requireNonNull(viewer, "viewer"));
    }

    @Override
    public void watch(ClipboardListener listener) {
        agentListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        closed = true;
        agentListeners.clear();
        viewers.clear();
    }
}
