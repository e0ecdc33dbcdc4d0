package org.xenclip.host.ui;

import java.util.Optional;
import java.util.function.Consumer;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import org.xenclip.host.vm.SyncMode;

/**
 * The settings tab: engine settings through {@link HostSettings} (disabled when the engine offers
 * none) and the window's own choice of desktop notifications.
 */
final class SettingsController {

    /** The size limit is edited in KiB; the default is 1 MiB, 64 MiB is plenty for text. */
    static final int MAX_TEXT_KIB = 64 * 1024;

    private final Optional<HostSettings> settings;
    private final Consumer<Runnable> background;
    private final DesktopNotifier notifier;

    @FXML
    private ComboBox<SyncMode> defaultModeBox;

    @FXML
    private Label defaultModeLabel;

    @FXML
    private CheckBox shareBetweenVmsBox;

    @FXML
    private Label maxTextLabel;

    @FXML
    private Spinner<Integer> maxTextSpinner;

    @FXML
    private CheckBox sanitiseBox;

    @FXML
    private CheckBox desktopNotificationsBox;

    @FXML
    private Label engineNote;

    /**
     * @param background where engine settings are written, so the FX thread never waits for the engine
     */
    SettingsController(Optional<HostSettings> settings, Consumer<Runnable> background, DesktopNotifier notifier) {
        this.settings = settings;
        this.background = background;
        this.notifier = notifier;
    }

    @FXML
    void initialize() {
        defaultModeBox.getItems().setAll(MainWindowController.MODES);
        defaultModeBox.setConverter(MainWindowController.MODE_TEXT);
        defaultModeLabel.setLabelFor(defaultModeBox);
        maxTextSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, MAX_TEXT_KIB, 1024, 64));
        maxTextSpinner.setEditable(true);
        maxTextLabel.setLabelFor(maxTextSpinner);

        desktopNotificationsBox.setSelected(notifier.isEnabled());
        CheckBoxes.onUserChange(desktopNotificationsBox, notifier::isEnabled, notifier::setEnabled);

        if (settings.isEmpty()) {
            engineNote.setText("The engine did not offer its settings to the window; edit the config file.");
            for (javafx.scene.Node node :
                    new javafx.scene.Node[] {defaultModeBox, shareBetweenVmsBox, maxTextSpinner, sanitiseBox}) {
                node.setDisable(true);
            }
            return;
        }
        HostSettings engine = settings.get();
        engineNote.setText("Saved automatically.");
        defaultModeBox.setValue(engine.defaultMode());
        shareBetweenVmsBox.setSelected(engine.shareBetweenVms());
        maxTextSpinner.getValueFactory().setValue((int)
                Math.max(1, Math.min(MAX_TEXT_KIB, engine.maxTextBytes() / 1024)));
        sanitiseBox.setSelected(engine.sanitise());

        defaultModeBox.setOnAction(event -> {
            SyncMode mode = defaultModeBox.getValue();
            if (mode != null) {
                background.accept(() -> engine.setDefaultMode(mode));
            }
        });
        boolean[] shown = {engine.shareBetweenVms(), engine.sanitise()};
        CheckBoxes.onUserChange(shareBetweenVmsBox, () -> shown[0], share -> {
            shown[0] = share;
            background.accept(() -> engine.setShareBetweenVms(share));
        });
        maxTextSpinner.valueProperty().addListener((obs, old, kib) -> {
            if (kib != null) {
                background.accept(() -> engine.setMaxTextBytes(kib * 1024L));
            }
        });
        CheckBoxes.onUserChange(sanitiseBox, () -> shown[1], sanitise -> {
            shown[1] = sanitise;
            background.accept(() -> engine.setSanitise(sanitise));
        });
    }
}
