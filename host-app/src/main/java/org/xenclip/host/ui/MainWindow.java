package org.xenclip.host.ui;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.xenclip.host.tray.TrayCommands;
import org.xenclip.host.tray.TrayIconImages;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.VmStatus;

/** The window around its views. FX thread only. */
final class MainWindow {

    /** Window icon sizes; the window manager picks. */
    static final int[] ICON_SIZES = {16, 32, 48, 64};

    private final VmRows vmRows = new VmRows();
    private final Notifications notifications;
    private final MainWindowController controller;
    private final Parent root;
    private Stage stage;
    private boolean trayPresent;

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
        stage.setScene(new Scene(root));
        stage.setOnCloseRequest(event -> {
            if (!this.trayPresent) {
                event.consume();
                stage.setIconified(true);
            }
        });
    }

    void show() {
        FxThread.check();
        stage.setIconified(false);
        stage.show();
        stage.toFront();
        controller.focusTable();
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
