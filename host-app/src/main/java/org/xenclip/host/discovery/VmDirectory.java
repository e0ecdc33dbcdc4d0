package org.xenclip.host.discovery;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The merged view of all discovery sources. Each source replaces its own snapshot; the merge prefers
 * explicit entries over XenStore over the socket directory, so a user's {@code --vm} always wins.
 */
public final class VmDirectory {

    private final Consumer<Map<String, VmEntry>> listener;
    private final EnumMap<VmEntry.Source, Map<String, VmEntry>> bySource = new EnumMap<>(VmEntry.Source.class);
    private Map<String, VmEntry> merged = Map.of();

    /** @param listener told the merged map (sorted by name) after each change, on the reporting thread
     *     under the directory's lock: it must only hand the map off */
    public VmDirectory(Consumer<Map<String, VmEntry>> listener) {
        this.listener = listener;
    }

    /** Replaces everything {@code source} knows with {@code entries}. */
    public void update(VmEntry.Source source, Map<String, VmEntry> entries) {
        // The listener runs under the lock so two sources reporting at once are told in merge order.
        synchronized (this) {
            bySource.put(source, Map.copyOf(entries));
            Map<String, VmEntry> m = new TreeMap<>();
            // EnumMap iterates in declaration order: the last put for a name is the weakest source, so walk
            // the sources from weakest to strongest.
            VmEntry.Source[] order = VmEntry.Source.values();
            for (int i = order.length - 1; i >= 0; i--) {
                m.putAll(bySource.getOrDefault(order[i], Map.of()));
            }
            if (m.equals(merged)) {
                return;
            }
            merged = java.util.Collections.unmodifiableMap(m);
            listener.accept(merged);
        }
    }

    public synchronized Map<String, VmEntry> current() {
        return merged;
    }
}
