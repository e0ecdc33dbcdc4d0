package org.xenclip.host.tray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.xenclip.host.ui.InMemoryHostModel.vm;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

class DbusMenuTreeTest {

    private final TrayMenuModelTest.RecordingCommands commands = new TrayMenuModelTest.RecordingCommands();

    @Test
    void describesEntriesWithDbusmenuProperties() {
        DbusMenuTree tree = new DbusMenuTree(
                TrayMenuModel.of(List.of(vm("dev_vm", VmState.CONNECTED, SyncMode.TO_GUEST)), false, commands),
                new DbusMenuTree.Ids());

        DbusMenuTree.Node root = tree.root();
        assertThat(root.id()).isZero();
        assertThat(root.properties()).containsEntry("children-display", "submenu");
        DbusMenuTree.Node vmNode = root.children().get(0);
        assertThat(vmNode.properties())
                .containsExactly(
                        entry("label", "dev__vm \u2014 Connected \u00b7 dom0 \u2192 VM only"),
                        entry("children-display", "submenu"));
        assertThat(vmNode.children().get(0).properties())
                .containsExactly(
                        entry("label", "Share clipboard"),
                        entry("enabled", true),
                        entry("toggle-type", "checkmark"),
                        entry("toggle-state", 1));
        assertThat(vmNode.children().get(1).properties()).containsExactly(entry("type", "separator"));
        assertThat(vmNode.children().get(3).properties())
                .containsEntry("toggle-type", "radio")
                .containsEntry("toggle-state", 1);
    }

    @Test
    void keepsIdsAcrossRebuilds() {
        DbusMenuTree.Ids ids = new DbusMenuTree.Ids();
        DbusMenuTree before = new DbusMenuTree(
                TrayMenuModel.of(List.of(vm("b", VmState.CONNECTED, SyncMode.BOTH)), false, commands), ids);
        DbusMenuTree after = new DbusMenuTree(
                TrayMenuModel.of(
                        List.of(vm("a", VmState.OFF, SyncMode.OFF), vm("b", VmState.ERROR, SyncMode.BOTH)),
                        true,
                        commands),
                ids);

        int quitBefore = idOf(before, TrayMenuModel.QUIT_ID);
        assertThat(idOf(after, TrayMenuModel.QUIT_ID)).isEqualTo(quitBefore);
        assertThat(idOf(after, "vm:b:enabled")).isEqualTo(idOf(before, "vm:b:enabled"));
        assertThat(idOf(after, "vm:a:enabled")).isNotIn(idOf(before, "vm:b:enabled"), quitBefore);
    }

    @Test
    void clickOnCheckmarkFlipsItAndClickOnRadioSelectsIt() {
        DbusMenuTree tree = new DbusMenuTree(
                TrayMenuModel.of(List.of(vm("a", VmState.CONNECTED, SyncMode.BOTH)), false, commands),
                new DbusMenuTree.Ids());

        DbusMenuTree.click(node(tree, "vm:a:enabled"));
        DbusMenuTree.click(node(tree, "vm:a:mode:FROM_GUEST"));
        DbusMenuTree.click(node(tree, TrayMenuModel.PAUSE_ID));
        DbusMenuTree.click(node(tree, "vm:a:state"));
        DbusMenuTree.click(node(tree, TrayMenuModel.OPEN_ID));

        assertThat(commands.calls).containsExactly("enabled a false", "mode a FROM_GUEST", "paused true", "open");
    }

    static int idOf(DbusMenuTree tree, String id) {
        return node(tree, id).id();
    }

    static DbusMenuTree.Node node(DbusMenuTree tree, String id) {
        return find(tree.root(), id);
    }

    private static DbusMenuTree.Node find(DbusMenuTree.Node node, String id) {
        if (node.item() != null && node.item().id().equals(id)) {
            return node;
        }
        for (DbusMenuTree.Node child : node.children()) {
            DbusMenuTree.Node found = find(child, id);
            if (found != null) {
                return found;
            }
        }
        if (node.id() == DbusMenuTree.ROOT_ID) {
            throw new AssertionError("no node " + id);
        }
        return null;
    }
}
