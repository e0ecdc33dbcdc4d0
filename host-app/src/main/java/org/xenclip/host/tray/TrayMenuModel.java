package org.xenclip.host.tray;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xenclip.host.tray.TrayMenuItem.Action;
import org.xenclip.host.tray.TrayMenuItem.Separator;
import org.xenclip.host.tray.TrayMenuItem.Submenu;
import org.xenclip.host.tray.TrayMenuItem.Toggle;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmStatus;

/**
 * The tray menu as data: one submenu per VM (its on/off toggle, its direction, its state and last
 * error), then the global pause, open window and quit. Immutable.
 */
public record TrayMenuModel(List<TrayMenuItem> items) {

    public static final String PAUSE_ID = "pause";
    public static final String OPEN_ID = "open";
    public static final String QUIT_ID = "quit";

    /** The directions offered once a VM is on, in menu order. */
    static final List<SyncMode> DIRECTIONS = List.of(SyncMode.BOTH, SyncMode.TO_GUEST, SyncMode.FROM_GUEST);

    public TrayMenuModel {
        items = List.copyOf(items);
    }

    public static TrayMenuModel of(List<VmStatus> vms, boolean paused, TrayCommands commands) {
        List<TrayMenuItem> items = new ArrayList<>();
        if (vms.isEmpty()) {
            items.add(new Action("no-vms", "No VMs with a clipboard channel", false, () -> {}));
        }
        for (VmStatus vm : vms) {
            items.add(vmMenu(vm, commands));
        }
        items.add(new Separator("sep-vms"));
        items.add(new Toggle(PAUSE_ID, "Pause all syncing", paused, true, Toggle.Kind.CHECK, commands::setPaused));
        items.add(new Action(OPEN_ID, "Open xenclip window", true, commands::openWindow));
        items.add(new Separator("sep-quit"));
        items.add(new Action(QUIT_ID, "Quit xenclip", true, commands::quit));
        return new TrayMenuModel(items);
    }

    /** The submenu id of a VM; its children's ids extend it. */
    public static String vmId(String vmName) {
        return "vm:" + vmName;
    }

    private static Submenu vmMenu(VmStatus vm, TrayCommands commands) {
        String id = vmId(vm.name());
        boolean on = vm.mode() != SyncMode.OFF;
        List<TrayMenuItem> children = new ArrayList<>();
        children.add(new Toggle(
                id + ":enabled",
                "Share clipboard",
                on,
                true,
                Toggle.Kind.CHECK,
                enabled -> commands.setEnabled(vm.name(), enabled)));
        children.add(new Separator(id + ":sep-modes"));
        for (SyncMode mode : DIRECTIONS) {
            children.add(new Toggle(
                    id + ":mode:" + mode.name(),
                    VmLabels.mode(mode),
                    vm.mode() == mode,
                    true,
                    Toggle.Kind.RADIO,
                    selected -> {
                        if (selected) {
                            commands.setMode(vm.name(), mode);
                        }
                    }));
        }
        children.add(new Separator(id + ":sep-state"));
        children.add(new Action(id + ":state", "State: " + VmLabels.state(vm), false, () -> {}));
        vm.lastError().ifPresent(error -> children.add(new Action(id + ":error", error, false, () -> {})));
        vm.pausedReason().ifPresent(reason -> children.add(new Action(id + ":paused", reason, false, () -> {})));
        String label = on
                ? vm.name() + " \u2014 " + VmLabels.state(vm) + " \u00b7 " + VmLabels.mode(vm.mode())
                : vm.name() + " \u2014 Off";
        return new Submenu(id, label, children);
    }

    /**
     * The menu as indented text, one entry a line: {@code [x]} / {@code [ ]} check boxes, {@code (o)} /
     * {@code ( )} radio items, {@code ---} separators, {@code >} submenus, {@code ~} disabled entries.
     */
    public String describe() {
        StringBuilder out = new StringBuilder();
        describe(items, "", out);
        return out.toString();
    }

    private static void describe(List<TrayMenuItem> items, String indent, StringBuilder out) {
        for (TrayMenuItem item : items) {
            out.append(indent);
            if (item instanceof Action action) {
                out.append(action.enabled() ? "" : "~").append(action.label());
            } else if (item instanceof Toggle toggle) {
                boolean radio = toggle.kind() == Toggle.Kind.RADIO;
                out.append(toggle.enabled() ? "" : "~")
                        .append(radio ? (toggle.selected() ? "(o) " : "( ) ") : (toggle.selected() ? "[x] " : "[ ] "))
                        .append(toggle.label());
            } else if (item instanceof Separator) {
                out.append("---");
            } else if (item instanceof Submenu submenu) {
                out.append("> ").append(submenu.label()).append('\n');
                describe(submenu.items(), indent + "  ", out);
                continue;
            }
            out.append('\n');
        }
    }

    /** Finds an entry anywhere in the menu by id. */
    public Optional<TrayMenuItem> find(String id) {
        return find(items, id);
    }

    private static Optional<TrayMenuItem> find(List<TrayMenuItem> items, String id) {
        for (TrayMenuItem item : items) {
            if (item.id().equals(id)) {
                return Optional.of(item);
            }
            if (item instanceof Submenu submenu) {
                Optional<TrayMenuItem> found = find(submenu.items(), id);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
