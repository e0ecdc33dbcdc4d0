package org.xenclip.host.ui;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.xenclip.host.vm.VmStatus;

/**
 * The VM list the table binds to. Rows keep their identity while their snapshot changes, so the
 * selection and the focus stay on the same VM when the engine reports news. FX thread only.
 */
final class VmRows {

    /** One VM in the table: its latest snapshot. */
    static final class Row {
        private final ReadOnlyObjectWrapper<VmStatus> status;

        Row(VmStatus status) {
            this.status = new ReadOnlyObjectWrapper<>(this, "status", status);
        }

        VmStatus status() {
            return status.get();
        }

        String name() {
            return status.get().name();
        }

        ReadOnlyObjectProperty<VmStatus> statusProperty() {
            return status.getReadOnlyProperty();
        }
    }

    private final ObservableList<Row> rows = FXCollections.observableArrayList();

    ObservableList<Row> rows() {
        return rows;
    }

    /** Replaces the shown VMs with these, in this order, reusing the rows of VMs already shown. */
    void show(List<VmStatus> vms) {
        FxThread.check();
        Map<String, Row> existing = new HashMap<>();
        rows.forEach(row -> existing.put(row.name(), row));
        for (int i = 0; i < vms.size(); i++) {
            VmStatus vm = vms.get(i);
            Row row = existing.remove(vm.name());
            if (row == null) {
                row = new Row(vm);
            } else {
                row.status.set(vm);
            }
            if (i < rows.size()) {
                if (rows.get(i) != row) {
                    rows.remove(row);
                    rows.add(i, row);
                }
            } else {
                rows.add(row);
            }
        }
        rows.removeIf(row -> existing.containsKey(row.name()));
        if (rows.size() > vms.size()) {
            rows.remove(vms.size(), rows.size());
        }
    }
}
