package org.xenclip.host.ui;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import javafx.application.Platform;
import javafx.scene.control.CheckBox;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.xenclip.host.vm.HostModel;

/** Opens the real window on any HostModel, for tests outside this package (the engine's wire tests). */
public final class WindowForTests {

    private WindowForTests() {}

    /** Sets the system properties for JavaFX on Monocle; call before TestFX starts the toolkit. */
    public static void headless() {
        HeadlessFx.configure();
    }

    /** Shows the window for {@code model} in {@code stage}, following the model's changes. FX thread. */
    public static void show(Stage stage, HostModel model) {
        HostActions actions = new HostActions(model, () -> {}, () -> {}, () -> {});
        MainWindow window = new MainWindow(
                actions,
                model::isPaused,
                Optional.empty(),
                actions::run,
                DesktopNotifier.none(),
                Clock.systemUTC(),
                ZoneOffset.UTC);
        window.attach(stage, true);
        window.showVms(model.vms());
        model.addVmListener(vms -> Platform.runLater(() -> window.showVms(vms)));
        stage.show();
        window.show();
    }

    /** The Sync check box in the row of this VM. */
    public static CheckBox syncBox(FxRobot robot, String vmName) {
        TableRow<?> row = robot.lookup(".table-row-cell")
                .match(node -> node instanceof TableRow<?> r
                        && r.getItem() instanceof VmRows.Row vmRow
                        && vmRow.name().equals(vmName))
                .query();
        return robot.from(row).lookup(".check-box").queryAs(CheckBox.class);
    }
}
