package org.xenclip.host.ui;

import java.time.ZoneId;
import java.util.List;
import java.util.function.BooleanSupplier;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.util.StringConverter;
import org.xenclip.host.tray.TrayCommands;
import org.xenclip.host.tray.VmLabels;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/**
 * The main window: the VM table (Space toggles the selected VM), the selected VM's toggle and
 * direction, the global pause, and the notifications. Thin: it shows {@link VmRows} and
 * {@link Notifications} and forwards the user's choices to {@link TrayCommands}.
 */
final class MainWindowController {

    /** All modes in the order the direction selector lists them. */
    static final List<SyncMode> MODES = List.of(SyncMode.OFF, SyncMode.BOTH, SyncMode.TO_GUEST, SyncMode.FROM_GUEST);

    static final StringConverter<SyncMode> MODE_TEXT = new StringConverter<>() {
        @Override
        public String toString(SyncMode mode) {
            return mode == null ? "" : VmLabels.mode(mode);
        }

        @Override
        public SyncMode fromString(String text) {
            return MODES.stream()
                    .filter(mode -> VmLabels.mode(mode).equals(text))
                    .findFirst()
                    .orElse(null);
        }
    };

    private final VmRows vmRows;
    private final Notifications notifications;
    private final TrayCommands commands;
    private final BooleanSupplier paused;
    private final Node settingsView;
    private final ZoneId zone;

    @FXML
    private CheckBox pauseBox;

    @FXML
    private Button quitButton;

    @FXML
    private TableView<VmRows.Row> vmTable;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> syncColumn;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> nameColumn;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> stateColumn;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> modeColumn;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> lastSyncColumn;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> bytesColumn;

    @FXML
    private TableColumn<VmRows.Row, VmStatus> errorColumn;

    @FXML
    private Label selectedLabel;

    @FXML
    private CheckBox enabledBox;

    @FXML
    private Label modeLabel;

    @FXML
    private ComboBox<SyncMode> modeBox;

    @FXML
    private Tab settingsTab;

    @FXML
    private ListView<Notifications.Entry> notificationList;

    @FXML
    private Button enableNewVmButton;

    @FXML
    private Button clearButton;

    /** Set while the selected VM's controls are filled in from a snapshot, so no command goes out. */
    private boolean showingSelection;

    MainWindowController(
            VmRows vmRows,
            Notifications notifications,
            TrayCommands commands,
            BooleanSupplier paused,
            Node settingsView,
            ZoneId zone) {
        this.vmRows = vmRows;
        this.notifications = notifications;
        this.commands = commands;
        this.paused = paused;
        this.settingsView = settingsView;
        this.zone = zone;
    }

    @FXML
    void initialize() {
        vmTable.setItems(vmRows.rows());
        for (TableColumn<VmRows.Row, VmStatus> column :
                List.of(syncColumn, nameColumn, stateColumn, modeColumn, lastSyncColumn, bytesColumn, errorColumn)) {
            column.setCellValueFactory(cell -> cell.getValue().statusProperty());
            column.setSortable(false);
        }
        syncColumn.setCellFactory(column -> new SyncCell(commands));
        nameColumn.setCellFactory(column -> textCell(VmStatus::name));
        stateColumn.setCellFactory(column -> new StateCell());
        modeColumn.setCellFactory(column -> new ModeCell(commands));
        lastSyncColumn.setCellFactory(column -> textCell(vm -> Format.time(vm.lastSync(), zone)));
        bytesColumn.setCellFactory(column -> textCell(
                vm -> "\u2191 " + Format.bytes(vm.bytesToGuest()) + "  \u2193 " + Format.bytes(vm.bytesFromGuest())));
        errorColumn.setCellFactory(column -> new ErrorCell());

        vmTable.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() == KeyCode.SPACE) {
                VmRows.Row row = vmTable.getSelectionModel().getSelectedItem();
                if (row != null) {
                    commands.setEnabled(row.name(), row.status().mode() == SyncMode.OFF);
                }
                event.consume();
            }
        });
        vmTable.getSelectionModel().selectedItemProperty().addListener((obs, old, row) -> showSelection());
        vmRows.rows().addListener((javafx.collections.ListChangeListener<VmRows.Row>) change -> showSelection());

        modeBox.getItems().setAll(MODES);
        modeBox.setConverter(MODE_TEXT);
        modeLabel.setLabelFor(modeBox);
        CheckBoxes.onUserChange(
                enabledBox,
                () -> {
                    VmRows.Row row = vmTable.getSelectionModel().getSelectedItem();
                    return row != null && row.status().mode() != SyncMode.OFF;
                },
                enabled -> {
                    VmRows.Row row = vmTable.getSelectionModel().getSelectedItem();
                    if (!showingSelection && row != null) {
                        commands.setEnabled(row.name(), enabled);
                    }
                });
        modeBox.setOnAction(event -> {
            VmRows.Row row = vmTable.getSelectionModel().getSelectedItem();
            SyncMode mode = modeBox.getValue();
            if (!showingSelection
                    && row != null
                    && mode != null
                    && mode != row.status().mode()) {
                commands.setMode(row.name(), mode);
            }
        });
        showSelection();

        pauseBox.setSelected(paused.getAsBoolean());
        CheckBoxes.onUserChange(pauseBox, paused, commands::setPaused);
        quitButton.setOnAction(event -> commands.quit());

        settingsTab.setContent(settingsView);

        notificationList.setItems(notifications.entries());
        notificationList.setCellFactory(list -> new NotificationCell(zone));
        enableNewVmButton
                .disableProperty()
                .bind(javafx.beans.binding.Bindings.createBooleanBinding(
                        () -> {
                            Notifications.Entry entry =
                                    notificationList.getSelectionModel().getSelectedItem();
                            return entry == null || entry.notification().kind() != HostNotification.Kind.NEW_VM;
                        },
                        notificationList.getSelectionModel().selectedItemProperty()));
        enableNewVmButton.setOnAction(event -> {
            Notifications.Entry entry = notificationList.getSelectionModel().getSelectedItem();
            if (entry != null && entry.notification().kind() == HostNotification.Kind.NEW_VM) {
                commands.setEnabled(entry.notification().vmName(), true);
                notifications.entries().remove(entry);
            }
        });
        clearButton.setOnAction(event -> notifications.entries().clear());
    }

    /** Shows the engine's pause state (the engine may change it, too). */
    void showPaused(boolean isPaused) {
        FxThread.check();
        pauseBox.setSelected(isPaused);
    }

    /** Puts the keyboard focus on the VM table, selecting the first VM if none is. */
    void focusTable() {
        FxThread.check();
        if (vmTable.getSelectionModel().isEmpty() && !vmRows.rows().isEmpty()) {
            vmTable.getSelectionModel().select(0);
            vmTable.getFocusModel().focus(0);
        }
        vmTable.requestFocus();
    }

    private void showSelection() {
        VmRows.Row row = vmTable.getSelectionModel().getSelectedItem();
        showingSelection = true;
        try {
            boolean none = row == null;
            enabledBox.setDisable(none);
            modeBox.setDisable(none);
            if (none) {
                selectedLabel.setText("No VM selected");
                enabledBox.setSelected(false);
                modeBox.setValue(null);
            } else {
                VmStatus vm = row.status();
                selectedLabel.setText(vm.name() + ":");
                enabledBox.setSelected(vm.mode() != SyncMode.OFF);
                modeBox.setValue(vm.mode());
            }
        } finally {
            showingSelection = false;
        }
    }

    private static TableCell<VmRows.Row, VmStatus> textCell(java.util.function.Function<VmStatus, String> text) {
        return new TableCell<>() {
            @Override
            protected void updateItem(VmStatus vm, boolean empty) {
                super.updateItem(vm, empty);
                setText(empty || vm == null ? null : text.apply(vm));
            }
        };
    }

    /** The last problem; the whole text in a tooltip, since paths make it long. */
    private static final class ErrorCell extends TableCell<VmRows.Row, VmStatus> {
        @Override
        protected void updateItem(VmStatus vm, boolean empty) {
            super.updateItem(vm, empty);
            String text = empty || vm == null
                    ? ""
                    : vm.pausedReason().or(vm::lastError).orElse("");
            setText(text.isEmpty() ? null : text);
            setTooltip(text.isEmpty() ? null : new javafx.scene.control.Tooltip(text));
        }
    }

    /** The state, coloured by a style class per state. */
    private static final class StateCell extends TableCell<VmRows.Row, VmStatus> {
        @Override
        protected void updateItem(VmStatus vm, boolean empty) {
            super.updateItem(vm, empty);
            getStyleClass().removeIf(style -> style.startsWith("state-"));
            if (empty || vm == null) {
                setText(null);
                return;
            }
            setText(VmLabels.state(vm));
            String style = vm.pausedReason().isPresent() || (vm.state() == VmState.CONNECTED && !vm.agentAlive())
                    ? "state-warning"
                    : "state-"
                            + vm.state()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', '-');
            getStyleClass().add(style);
        }
    }

    /** The per-VM toggle in the table; keyboard users press Space on the row instead. */
    private static final class SyncCell extends TableCell<VmRows.Row, VmStatus> {
        private final CheckBox box = new CheckBox();
        private boolean showing;

        SyncCell(TrayCommands commands) {
            box.setFocusTraversable(false);
            box.setOnAction(event -> {
                VmStatus vm = getItem();
                if (!showing && vm != null) {
                    commands.setEnabled(vm.name(), box.isSelected());
                }
            });
            setAlignment(javafx.geometry.Pos.CENTER);
        }

        @Override
        protected void updateItem(VmStatus vm, boolean empty) {
            super.updateItem(vm, empty);
            if (empty || vm == null) {
                setGraphic(null);
                return;
            }
            showing = true;
            box.setSelected(vm.mode() != SyncMode.OFF);
            showing = false;
            box.setAccessibleText("Share clipboard with " + vm.name());
            setGraphic(box);
        }
    }

    /** The direction selector in the table; keyboard users use the one below the table. */
    private static final class ModeCell extends TableCell<VmRows.Row, VmStatus> {
        private final ComboBox<SyncMode> box = new ComboBox<>();
        private boolean showing;

        ModeCell(TrayCommands commands) {
            box.getItems().setAll(MODES);
            box.setConverter(MODE_TEXT);
            box.setFocusTraversable(false);
            box.setMaxWidth(Double.MAX_VALUE);
            box.getStyleClass().add("mode-box");
            box.setOnAction(event -> {
                VmStatus vm = getItem();
                SyncMode mode = box.getValue();
                if (!showing && vm != null && mode != null && mode != vm.mode()) {
                    commands.setMode(vm.name(), mode);
                }
            });
        }

        @Override
        protected void updateItem(VmStatus vm, boolean empty) {
            super.updateItem(vm, empty);
            if (empty || vm == null) {
                setGraphic(null);
                return;
            }
            showing = true;
            box.setValue(vm.mode());
            showing = false;
            box.setAccessibleText("Direction for " + vm.name());
            setGraphic(box);
        }
    }

    private static final class NotificationCell extends ListCell<Notifications.Entry> {
        private final ZoneId zone;

        NotificationCell(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        protected void updateItem(Notifications.Entry entry, boolean empty) {
            super.updateItem(entry, empty);
            getStyleClass().removeIf(style -> style.startsWith("notification-"));
            if (empty || entry == null) {
                setText(null);
                return;
            }
            HostNotification notification = entry.notification();
            setText(Format.time(java.util.Optional.of(entry.at()), zone) + "  " + Notifications.summary(notification)
                    + ": " + notification.message());
            getStyleClass().add("notification-" + notification.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
