package org.xenclip.host.tray;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xenclip.host.tray.TrayMenuItem.Action;
import org.xenclip.host.tray.TrayMenuItem.Separator;
import org.xenclip.host.tray.TrayMenuItem.Submenu;
import org.xenclip.host.tray.TrayMenuItem.Toggle;

/**
 * A {@link TrayMenuModel} numbered for dbusmenu: every entry gets an int id that stays the same across
 * rebuilds (hosts keep ids between layout revisions), and carries the dbusmenu properties as plain
 * Java values (String, Boolean, Integer). Pure data, no D-Bus.
 */
final class DbusMenuTree {

    /** dbusmenu's root item id (dbusmenu spec: the root is always 0). */
    static final int ROOT_ID = 0;

    record Node(int id, TrayMenuItem item, Map<String, Object> properties, List<Node> children) {}

    /** Remembers the int id of each string id; not thread-safe, owned by one {@link SniTray}. */
    static final class Ids {
        private final Map<String, Integer> ids = new HashMap<>();
        private int next = ROOT_ID + 1;

        int of(String id) {
            return ids.computeIfAbsent(id, key -> next++);
        }
    }

    private final Node root;
    private final Map<Integer, Node> byId = new HashMap<>();

    DbusMenuTree(TrayMenuModel model, Ids ids) {
        Map<String, Object> rootProperties = new LinkedHashMap<>();
        rootProperties.put("children-display", "submenu");
        this.root = new Node(ROOT_ID, null, rootProperties, nodes(model.items(), ids));
        index(root);
    }

    private void index(Node node) {
        byId.put(node.id(), node);
        node.children().forEach(this::index);
    }

    Node root() {
        return root;
    }

    /** The node with this id, or null when the host asks for an id of an older revision. */
    Node node(int id) {
        return byId.get(id);
    }

    private static List<Node> nodes(List<TrayMenuItem> items, Ids ids) {
        List<Node> nodes = new ArrayList<>();
        for (TrayMenuItem item : items) {
            Map<String, Object> properties = new LinkedHashMap<>();
            List<Node> children = List.of();
            if (item instanceof Action action) {
                properties.put("label", escape(action.label()));
                properties.put("enabled", action.enabled());
            } else if (item instanceof Toggle toggle) {
                properties.put("label", escape(toggle.label()));
                properties.put("enabled", toggle.enabled());
                properties.put("toggle-type", toggle.kind() == Toggle.Kind.RADIO ? "radio" : "checkmark");
                properties.put("toggle-state", toggle.selected() ? 1 : 0);
            } else if (item instanceof Separator) {
                properties.put("type", "separator");
            } else if (item instanceof Submenu submenu) {
                properties.put("label", escape(submenu.label()));
                properties.put("children-display", "submenu");
                children = nodes(submenu.items(), ids);
            }
            nodes.add(new Node(ids.of(item.id()), item, properties, children));
        }
        return nodes;
    }

    /** dbusmenu labels use '_' as the mnemonic marker; a VM name's underscores must stay literal. */
    static String escape(String label) {
        return label.replace("_", "__");
    }

    /** What a "clicked" event on this node does. */
    static void click(Node node) {
        TrayMenuItem item = node.item();
        if (item instanceof Action action && action.enabled()) {
            action.onSelect().run();
        } else if (item instanceof Toggle toggle && toggle.enabled()) {
            toggle.onChange().accept(toggle.kind() == Toggle.Kind.RADIO || !toggle.selected());
        }
    }
}
