package org.xenclip.host.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.ui.InMemoryHostModel.vm;
import static org.xenclip.host.ui.InMemoryHostModel.withError;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

@ExtendWith(ApplicationExtension.class)
class MainWindowTest {

    static {
        HeadlessFx.configure();
    }

    private final InMemoryHostModel model = new InMemoryHostModel();
    private final FakeSettings settings = new FakeSettings();
    private final AtomicBoolean quit = new AtomicBoolean();
    private MainWindow window;

    @Start
    void start(Stage stage) {
        model.put(
                vm("alpha", VmState.CONNECTED, SyncMode.BOTH),
                vm("beta", VmState.CONNECTED, SyncMode.TO_GUEST),
                vm("gamma", VmState.OFF, SyncMode.OFF));
        HostActions actions = new HostActions(model, () -> {}, () -> quit.set(true), () -> {});
        window = new MainWindow(
                actions,
                model::isPaused,
                Optional.of(settings),
                actions::run,
                DesktopNotifier.none(),
                Clock.fixed(Instant.parse("2026-11-27T10:15:30Z"), ZoneOffset.UTC),
                ZoneOffset.UTC);
        window.attach(stage, true);
        window.showVms(model.vms());
        model.addVmListener(vms -> Platform.runLater(() -> window.showVms(vms)));
        stage.show();
        window.show();
    }

    @Test
    void clickingTheSyncBoxSwitchesTheVmOnAndOff(FxRobot robot) throws TimeoutException {
        robot.clickOn(syncBox(robot, "gamma"));
        await(() -> model.mode("gamma") == SyncMode.BOTH);

        robot.clickOn(syncBox(robot, "alpha"));
        await(() -> model.mode("alpha") == SyncMode.OFF);
        await(() -> !syncBox(robot, "alpha").isSelected());

        assertThat(model.modeChanges()).containsExactly("gamma=BOTH", "alpha=OFF");
    }

    @Test
    void switchingOffAndOnAgainRestoresTheDirection(FxRobot robot) throws TimeoutException {
        robot.clickOn(syncBox(robot, "beta"));
        await(() -> model.mode("beta") == SyncMode.OFF);
        await(() -> !syncBox(robot, "beta").isSelected());
        robot.clickOn(syncBox(robot, "beta"));
        await(() -> model.mode("beta") == SyncMode.TO_GUEST);

        assertThat(model.modeChanges()).containsExactly("beta=OFF", "beta=TO_GUEST");
    }

    @Test
    void choosingADirectionInTheTableSetsTheMode(FxRobot robot) throws TimeoutException {
        robot.clickOn(modeBoxInRow(robot, "alpha"));
        robot.clickOn("VM \u2192 dom0 only");

        await(() -> model.mode("alpha") == SyncMode.FROM_GUEST);
        assertThat(model.modeChanges()).containsExactly("alpha=FROM_GUEST");
    }

    @Test
    void spaceOnASelectedRowTogglesThatVm(FxRobot robot) throws TimeoutException {
        robot.interact(() -> window.controller().focusTable());
        robot.type(KeyCode.DOWN, KeyCode.DOWN);
        robot.type(KeyCode.SPACE);

        await(() -> model.mode("gamma") == SyncMode.BOTH);
        robot.type(KeyCode.UP);
        robot.type(KeyCode.SPACE);
        await(() -> model.mode("beta") == SyncMode.OFF);
        assertThat(model.modeChanges()).containsExactly("gamma=BOTH", "beta=OFF");
    }

    @Test
    void keyboardReachesTheSelectedVmsToggleAndDirection(FxRobot robot) throws TimeoutException {
        robot.interact(() -> window.controller().focusTable());
        robot.type(KeyCode.DOWN); // beta, dom0 -> VM only

        robot.type(KeyCode.TAB);
        assertThat(focusedId(robot)).isEqualTo("enabledBox");
        robot.press(KeyCode.ALT).type(KeyCode.D).release(KeyCode.ALT);
        assertThat(focusedId(robot)).isEqualTo("modeBox");
        robot.type(KeyCode.F4); // opens the list on the current direction
        robot.type(KeyCode.DOWN);
        robot.type(KeyCode.ENTER);
        await(() -> model.mode("beta") == SyncMode.FROM_GUEST);

        robot.press(KeyCode.ALT).type(KeyCode.S).release(KeyCode.ALT);
        await(() -> model.mode("beta") == SyncMode.OFF);
        assertThat(model.modeChanges()).containsExactly("beta=FROM_GUEST", "beta=OFF");
    }

    @Test
    void pauseBoxPausesTheEngine(FxRobot robot) throws TimeoutException {
        robot.press(KeyCode.ALT).type(KeyCode.P).release(KeyCode.ALT);

        await(model::isPaused);
    }

    @Test
    void showsWhatTheEngineReports(FxRobot robot) throws Exception {
        model.update("alpha", vm -> InMemoryHostModel.withTraffic(vm, Instant.parse("2026-11-27T09:08:07Z"), 1536, 42));
        model.update(
                "beta", vm -> withError(vm, VmState.ERROR, "permission denied on /run/xen/beta.sock: join group xen"));

        await(() -> rowTexts(robot, "alpha").contains("09:08:07"));
        assertThat(rowTexts(robot, "alpha")).contains("\u2191 1.5 KiB  \u2193 42 B");
        await(() -> rowTexts(robot, "beta").contains("Error"));
        assertThat(rowTexts(robot, "beta")).contains("permission denied on /run/xen/beta.sock: join group xen");
    }

    @Test
    void aNewVmNotificationOffersToEnableIt(FxRobot robot) throws TimeoutException {
        model.put(vm("delta", VmState.OFF, SyncMode.OFF));
        robot.interact(() -> window.notify(new HostNotification(
                HostNotification.Kind.NEW_VM, "delta", "found in /run/xen; clipboard sharing is off")));

        robot.clickOn("10:15:30  New VM delta: found in /run/xen; clipboard sharing is off");
        robot.clickOn("Enable this VM");

        await(() -> model.mode("delta") == SyncMode.BOTH);
    }

    @Test
    void settingsTabWritesEngineSettings(FxRobot robot) throws TimeoutException {
        robot.clickOn("Settings");
        robot.clickOn("Share text between VMs (through dom0)");
        robot.clickOn("Strip control and bidi override characters from VM text");

        await(() -> settings.shareBetweenVms && !settings.sanitise);
    }

    @Test
    void quitButtonQuits(FxRobot robot) throws TimeoutException {
        robot.clickOn("Quit");

        await(quit::get);
    }

    @Test
    void theWindowOpensAtItsContentsSizeKeepsItThroughAnEarlyShrinkThenGetsAMinimum(FxRobot robot) throws Exception {
        Stage[] stage = new Stage[1];
        robot.interact(() -> {
            MainWindow w = new MainWindow(
                    new HostActions(model, () -> {}, () -> {}, () -> {}),
                    model::isPaused,
                    Optional.of(settings),
                    Runnable::run,
                    DesktopNotifier.none(),
                    Clock.systemUTC(),
                    ZoneOffset.UTC);
            stage[0] = new Stage();
            w.attach(stage[0], true);
            w.show();
            // What openbox does right after mapping: the window shrinks to 200x200.
            stage[0].setWidth(200);
            stage[0].setHeight(200);
        });
        double wantWidth = 1060; // main-window.fxml's prefWidth, below Monocle's 1280x800 screen
        double wantHeight = 560;
        try {
            try {
                await(() -> stage[0].getScene().getWidth() == wantWidth
                        && stage[0].getScene().getHeight() == wantHeight);
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "scene " + stage[0].getScene().getWidth() + "x"
                                + stage[0].getScene().getHeight() + ", stage " + stage[0].getWidth() + "x"
                                + stage[0].getHeight() + ", wanted " + wantWidth + "x" + wantHeight,
                        e);
            }
            await(() ->
                    stage[0].getMinWidth() == MainWindow.MIN_WIDTH && stage[0].getMinHeight() == MainWindow.MIN_HEIGHT);
            // Once the first size holds, a user's resize stays.
            robot.interact(() -> stage[0].setWidth(800));
            WaitForAsyncUtils.waitForFxEvents();
            assertThat(stage[0].getWidth()).isEqualTo(800);
        } finally {
            robot.interact(stage[0]::hide);
        }
    }

    @Test
    void theFirstSizeIsTheContentsAtLeastTheMinimumAtMostTheScreen() {
        assertThat(MainWindow.initialSize(1060, 560, 1920, 1080)).containsExactly(1060, 560);
        assertThat(MainWindow.initialSize(300, 200, 1920, 1080))
                .containsExactly(MainWindow.MIN_WIDTH, MainWindow.MIN_HEIGHT);
        assertThat(MainWindow.initialSize(1060, 560, 800, 480)).containsExactly(800, 480);
    }

    private static String focusedId(FxRobot robot) {
        Node focused = robot.targetWindow().getScene().getFocusOwner();
        return focused == null ? null : focused.getId();
    }

    @SuppressWarnings("unchecked")
    private static TableRow<VmRows.Row> row(FxRobot robot, String vmName) {
        return robot.lookup(".table-row-cell")
                .match(node -> node instanceof TableRow<?> row
                        && row.getItem() instanceof VmRows.Row vmRow
                        && vmRow.name().equals(vmName))
                .query();
    }

    private static CheckBox syncBox(FxRobot robot, String vmName) {
        return robot.from(row(robot, vmName)).lookup(".check-box").queryAs(CheckBox.class);
    }

    private static ComboBox<?> modeBoxInRow(FxRobot robot, String vmName) {
        return robot.from(row(robot, vmName)).lookup(".combo-box").queryAs(ComboBox.class);
    }

    /** The row's cell texts, read on the FX thread so that a half-updated row is never seen. */
    private static String rowTexts(FxRobot robot, String vmName) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
                    StringBuilder texts = new StringBuilder();
                    robot.from(row(robot, vmName))
                            .lookup(".table-cell")
                            .queryAllAs(Labeled.class)
                            .forEach(cell -> {
                                if (cell.getText() != null) {
                                    texts.append(cell.getText()).append(" | ");
                                }
                            });
                    return texts.toString();
                })
                .get(5, TimeUnit.SECONDS);
    }

    private static void await(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, condition);
    }
}
