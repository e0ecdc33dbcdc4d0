package org.xenclip.host.ui;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.xenclip.host.tray.TrayCommands;
import org.xenclip.host.tray.TrayIconImages;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.VmStatus;

/** The window around its views. FX thread only. */
final class MainWindow {

    /** Window icon sizes; the window manager picks. */
    static final int[] ICON_SIZES = {16, 32, 48, 64};
    /**
     * The smallest useful window: the table's sync box, VM name, state and direction columns (489 px in
     * main-window.fxml) with the padding, and the header, three table rows, the selection bar and the
     * notification list.
     */
    static final double MIN_WIDTH = 640;

    static final double MIN_HEIGHT = 420;
    /** How long after the first show the window manager's first configure events are overruled. */
    static final Duration INITIAL_SIZE_HOLD = Duration.seconds(2);

    private final VmRows vmRows = new VmRows();
    private final Notifications notifications;
    private final MainWindowController controller;
    private final Parent root;
    private Stage stage;
    private boolean trayPresent;
    /** The scene size asked for at {@link #attach}: {width, height}. */
    private double[] sceneSize;

    private boolean sized;
    /** The window's minimum size, set once the first size holds: {width, height}. */
    private double[] minSize;

    MainWindow(
            TrayCommands commands,
            BooleanSupplier paused,
            Optional<HostSettings> settings,
            java.util.function.Consumer<Runnable> background,
            DesktopNotifier notifier,
            Clock clock,
            ZoneId zone) {
        FxThread.check();
        this.notifications = new Notifications(clock);
        Parent settingsView = FxmlView.SETTINGS.load(new SettingsController(settings, background, notifier));
        this.controller = new MainWindowController(vmRows, notifications, commands, paused, settingsView, zone);
        this.root = FxmlView.MAIN_WINDOW.load(controller);
    }

    Parent root() {
        return root;
    }

    MainWindowController controller() {
        return controller;
    }

    void showVms(List<VmStatus> vms) {
        vmRows.show(vms);
    }

    void showPaused(boolean paused) {
        controller.showPaused(paused);
    }

    void notify(HostNotification notification) {
        notifications.add(notification);
    }

    /**
     * Puts the views into a stage. With a tray, closing the window hides it (the tray opens it
     * again); without one the window is the only UI, so closing only minimises it and Quit quits.
     */
    void attach(Stage stage, boolean trayPresent) {
        FxThread.check();
        this.stage = stage;
        this.trayPresent = trayPresent;
        stage.setTitle("xenclip");
        for (int size : ICON_SIZES) {
            stage.getIcons().add(icon(size));
        }
        // A bare window manager (openbox) maps a window at 200x200: size the scene to the content (the table's
        // preferred width) up to the screen, hold that size through the first configure events (show), and
        // then give the window a minimum so the table never shrinks to nothing.
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double[] size = initialSize(root.prefWidth(-1), root.prefHeight(-1), screen.getWidth(), screen.getHeight());
        sceneSize = size;
        stage.setScene(new Scene(root, size[0], size[1]));
        minSize = new double[] {Math.min(MIN_WIDTH, screen.getWidth()), Math.min(MIN_HEIGHT, screen.getHeight())};
        stage.setOnCloseRequest(event -> {
            if (!this.trayPresent) {
                event.consume();
                stage.setIconified(true);
            }
        });
    }

    /** The scene's first size: the content's preferred size, at least the minimum, at most the screen. */
    static double[] initialSize(double prefWidth, double prefHeight, double screenWidth, double screenHeight) {
        return new double[] {
            Math.min(Math.max(prefWidth, MIN_WIDTH), screenWidth),
            Math.min(Math.max(prefHeight, MIN_HEIGHT), screenHeight)
        };
    }

    void show() {
        FxThread.check();
        stage.setIconified(false);
        stage.show();
        if (!sized) {
            sized = true;
            holdInitialSize();
        }
        stage.toFront();
        controller.focusTable();
    }

    /**
     * openbox maps the window at 200x200 (or at its minimum) whatever size it was created with, and its
     * configure events arrive after JavaFX's own request: for a short while after the first show, a window
     * shrunk below the size asked for is put back to it. A user's resize comes later and stays.
     */
    private void holdInitialSize() {
        ChangeListener<Number> restore = (o, before, after) -> {
            Scene scene = stage.getScene();
            if (scene.getWidth() < sceneSize[0] - 1 || scene.getHeight() < sceneSize[1] - 1) {
                Platform.runLater(() -> {
                    // What the stage has beyond its scene is the frame the window manager added.
                    double frameWidth = Math.max(0, stage.getWidth() - scene.getWidth());
                    double frameHeight = Math.max(0, stage.getHeight() - scene.getHeight());
                    stage.setWidth(sceneSize[0] + frameWidth);
                    stage.setHeight(sceneSize[1] + frameHeight);
                });
            }
        };
        // The stage's size changes first and its scene's follows: watch both, decide on the scene's.
        List.of(stage.widthProperty(), stage.heightProperty(), scene().widthProperty(), scene().heightProperty())
                .forEach(p -> p.addListener(restore));
        PauseTransition settle = new PauseTransition(INITIAL_SIZE_HOLD);
        settle.setOnFinished(e -> {
            List.of(stage.widthProperty(), stage.heightProperty(), scene().widthProperty(), scene().heightProperty())
                    .forEach(p -> p.removeListener(restore));
            // Only now: set before, JavaFX's own enforcement of the minimum answers openbox's 200x200 late
            // and wins over the size asked for, leaving the window at its minimum.
            stage.setMinWidth(minSize[0]);
            stage.setMinHeight(minSize[1]);
        });
        settle.play();
    }

    private Scene scene() {
        return stage.getScene();
    }

    void close() {
        FxThread.check();
        if (stage != null) {
            stage.hide();
        }
    }

    static WritableImage icon(int size) {
        WritableImage image = new WritableImage(size, size);
        image.getPixelWriter()
                .setPixels(0, 0, size, size, PixelFormat.getIntArgbInstance(), TrayIconImages.appArgb(size), 0, size);
        return image;
    }
}
