package org.xenclip.host.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import javafx.scene.Parent;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class FxmlViewTest {

    static {
        HeadlessFx.configure();
    }

    @Start
    void start(Stage stage) {
        // no window needed: the views are loaded by the tests
    }

    @Test
    void everyViewIsOnTheClasspath() {
        for (FxmlView view : FxmlView.values()) {
            assertThat(view.url()).as(view.name()).isNotNull();
        }
        assertThat(FxmlView.stylesheet()).isNotNull();
    }

    @Test
    void aMissingViewFailsNamingItsFile() {
        assertThatThrownBy(() -> FxmlView.resource("ABOUT", "about.fxml"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("FXML view ABOUT is missing: about.fxml not found next to org.xenclip.host.ui.FxmlView");
    }

    @Test
    void everyViewLoadsWithItsController(FxRobot robot) {
        robot.interact(() -> {
            Parent settings = FxmlView.SETTINGS.load(
                    new SettingsController(Optional.empty(), Runnable::run, DesktopNotifier.none()));
            HostActions actions = new HostActions(new InMemoryHostModel(), () -> {}, () -> {}, () -> {});
            Parent main = FxmlView.MAIN_WINDOW.load(new MainWindowController(
                    new VmRows(),
                    new Notifications(Clock.systemUTC()),
                    actions,
                    () -> false,
                    settings,
                    ZoneOffset.UTC));
            assertThat(main.lookup("#vmTable")).isNotNull();
            assertThat(settings.lookup("#sanitiseBox").isDisabled())
                    .as("engine settings are disabled when the engine offers none")
                    .isTrue();
        });
    }

    @Test
    void aViewGivenTheWrongControllerFailsLoudly(FxRobot robot) {
        robot.interact(() -> assertThatThrownBy(() -> FxmlView.SETTINGS.load("not a controller"))
                .hasMessageContaining("FXML view SETTINGS (settings.fxml) failed to load")
                .rootCause()
                .hasMessage("FXML view SETTINGS asks for controller org.xenclip.host.ui.SettingsController"
                        + " but was given java.lang.String"));
    }
}
