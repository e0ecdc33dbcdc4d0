package org.xenclip.host.tray;

import java.util.List;
import java.util.function.Consumer;

/** One entry of the tray menu, independent of how a tray renders it. Every entry has a stable id. */
public sealed interface TrayMenuItem {

    String id();

    /** A plain command. */
    record Action(String id, String label, boolean enabled, Runnable onSelect) implements TrayMenuItem {}

    /** A check box ({@link Kind#CHECK}) or one choice of a group ({@link Kind#RADIO}). */
    record Toggle(String id, String label, boolean selected, boolean enabled, Kind kind, Consumer<Boolean> onChange)
            implements TrayMenuItem {

        public enum Kind {
            CHECK,
            RADIO
        }
    }

    record Separator(String id) implements TrayMenuItem {}

    record Submenu(String id, String label, List<TrayMenuItem> items) implements TrayMenuItem {
        public Submenu {
            items = List.copyOf(items);
        }
    }
}
