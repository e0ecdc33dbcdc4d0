package org.xenclip.demo;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import org.xenclip.channelsim.ChannelStats;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;
import org.xenclip.icons.Icons;

/**
 * The demo VM's window, "demo-vm: guest clipboard": what the simulated VM's clipboard holds (read-only, with
 * its size), a field and a "Copy in the VM" button (Ctrl+Enter) that play the VM's user, and a status line
 * for the channel. It says plainly that the VM is a simulation.
 *
 * <p>Built and used on the JavaFX application thread only.
 */
final class GuestWindow {

    static final String TITLE = DemoVm.NAME + ": guest clipboard";
    static final String SIMULATION_NOTICE = "This window stands in for the clipboard of a simulated VM; everything"
            + " between it and your desktop is the real protocol over a simulated Xen channel.";

    /** How often the status line is refreshed: a person reads it, half a second is fresh enough. */
    private static final Duration STATUS_REFRESH = Duration.millis(500);
    /** Gap between the host app's window and this one when they are placed side by side. */
    private static final double GAP = 16;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final GuestClipboard clipboard;
    private final Supplier<ChannelStats> stats;
    private final Supplier<Boolean> agentConnected;
    private final Supplier<Optional<VmStatus>> hostView;

    private final Stage stage = new Stage();
    private final TextArea current = new TextArea();
    private final Label currentInfo = new Label();
    private final TextArea input = new TextArea();
    private final Button copy = new Button("_Copy in the VM");
    private final Button quitButton = new Button("_Quit demo");
    private final Label status = new Label();
    private final Timeline refresher;
    private Consumer<String> currentListener = text -> {};

    GuestWindow(
            GuestClipboard clipboard,
            Supplier<ChannelStats> stats,
            Supplier<Boolean> agentConnected,
            Supplier<Optional<VmStatus>> hostView,
            Runnable quit) {
        this.clipboard = clipboard;
        this.stats = stats;
        this.agentConnected = agentConnected;
        this.hostView = hostView;

        Label notice = new Label("Simulation. " + SIMULATION_NOTICE);
        notice.setWrapText(true);
        notice.setMaxWidth(Double.MAX_VALUE);
        notice.setStyle("-fx-background-color: #fff4ce; -fx-border-color: #e0c060; -fx-padding: 8;"
                + " -fx-background-radius: 4; -fx-border-radius: 4;");

        Label currentTitle = heading("Guest clipboard now");
        current.setEditable(false);
        current.setWrapText(true);
        current.setPrefRowCount(6);
        current.setFocusTraversable(false);
        current.setPromptText("(empty: nothing copied in the VM yet; copy something on your desktop)");
        current.setStyle("-fx-control-inner-background: #f2f2f2;");
        currentInfo.setStyle("-fx-text-fill: #555555;");

        Label inputTitle = heading("Copy in the VM");
        input.setWrapText(true);
        input.setPrefRowCount(4);
        input.setPromptText("Type text here, then Copy in the VM (Ctrl+Enter): it appears on your desktop clipboard");

        copy.setMnemonicParsing(true);
        copy.setDefaultButton(false);
        copy.setOnAction(e -> copyInVm());
        quitButton.setMnemonicParsing(true);
        quitButton.setOnAction(e -> quit.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, copy, spacer, quitButton);
        buttons.setAlignment(Pos.CENTER_LEFT);

        status.setStyle("-fx-text-fill: #333333; -fx-font-size: 0.9em;");
        status.setMaxWidth(Double.MAX_VALUE);
        status.setWrapText(true);

        VBox root = new VBox(8, notice, currentTitle, current, currentInfo, inputTitle, input, buttons, status);
        root.setPadding(new Insets(12));
        VBox.setVgrow(current, Priority.ALWAYS);
        VBox.setVgrow(input, Priority.SOMETIMES);

        Scene scene = new Scene(root, 520, 520);
        scene.getAccelerators()
                .put(new KeyCodeCombination(KeyCode.ENTER, KeyCombination.SHORTCUT_DOWN), this::copyInVm);
        stage.setScene(scene);
        stage.setTitle(TITLE);
        for (int size : new int[] {16, 32, 48, 64}) {
            stage.getIcons().add(new Image(Icons.app(Icons.bestSize(size)).toExternalForm()));
        }
        // closing this window ends the demo: without it the simulated VM has no user
        stage.setOnCloseRequest(e -> {
            e.consume();
            quit.run();
        });

        clipboard.view(state -> Platform.runLater(() -> show(state)));
        show(clipboard.state());
        refresher = new Timeline(new KeyFrame(STATUS_REFRESH, e -> refreshStatus()));
        refresher.setCycleCount(Timeline.INDEFINITE);
    }

    private static Label heading(String text) {
        Label label = new Label(text);
        label.setStyle("-fx-font-weight: bold;");
        return label;
    }

    /**
     * Shows the window beside {@code host} (the host app's window): both side by side, centred, when the screen
     * is wide enough, else this one at the screen's right edge, overlapping the host window's right part.
     */
    void show(Optional<Window> host) {
        stage.show();
        host.filter(Window::isShowing).ifPresent(h -> {
            // Under some window managers (openbox) the host window comes up far smaller than its content;
            // sizing it to its scene here works around that until the host app does it itself.
            if (h.getScene() != null
                    && h.getScene().getRoot() != null
                    && h.getWidth() < h.getScene().getRoot().prefWidth(-1)) {
                h.sizeToScene();
            }
            Rectangle2D screen = Screen.getPrimary().getVisualBounds();
            double both = h.getWidth() + GAP + stage.getWidth();
            if (both <= screen.getWidth()) {
                double left = screen.getMinX() + (screen.getWidth() - both) / 2;
                h.setX(left);
                stage.setX(left + h.getWidth() + GAP);
            } else {
                stage.setX(Math.max(screen.getMinX(), screen.getMaxX() - stage.getWidth() - GAP));
            }
            stage.setY(Math.max(screen.getMinY(), h.getY()));
        });
        refreshStatus();
        refresher.play();
        input.requestFocus();
    }

    void close() {
        refresher.stop();
        stage.hide();
    }

    private void copyInVm() {
        String text = input.getText();
        if (text == null || text.isEmpty()) {
            return;
        }
        clipboard.copyAsVmUser(text);
    }

    private void show(GuestClipboard.State state) {
        String text = state.text().orElse("");
        current.setText(text);
        if (state.text().isEmpty()) {
            currentInfo.setText("empty");
        } else {
            String who =
                    switch (state.origin()) {
                        case DOM0 -> "from your desktop (dom0)";
                        case VM_USER -> "copied in the VM";
                        case NONE -> "";
                    };
            currentInfo.setText(size(text) + " · " + who + " at " + TIME.format(state.at()));
        }
        currentListener.accept(text);
    }

    /** "12 characters, 14 bytes" (UTF-8, as the protocol counts). */
    static String size(String text) {
        int chars = text.codePointCount(0, text.length());
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return chars + (chars == 1 ? " character, " : " characters, ") + bytes + (bytes == 1 ? " byte" : " bytes");
    }

    private void refreshStatus() {
        status.setText(statusLine(stats.get(), agentConnected.get(), hostView.get()));
    }

    /** The status line: channel state, bytes on the wire each way, last sync as the host app saw it. */
    static String statusLine(ChannelStats s, boolean agentInSession, Optional<VmStatus> host) {
        String channel;
        if (agentInSession && s.clientConnected()) {
            channel = "connected (host app and guest agent in session)";
        } else if (s.clientConnected()) {
            channel = "host app connected, guest agent handshaking";
        } else {
            channel = "waiting for the host app"
                    + host.map(h -> " (" + describe(h.state()) + ")").orElse("");
        }
        String lastSync = host.flatMap(VmStatus::lastSync)
                .map(at -> "last sync " + TIME.format(at))
                .orElse("no sync yet");
        return "Channel: " + channel + "\nWire: " + bytes(s.bytesToGuest()) + " to the VM, " + bytes(s.bytesToDom0())
                + " to dom0 · " + lastSync;
    }

    private static String describe(VmState state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024.0));
    }

    // ---- for the test hook (TestHook): acts through the same controls a person uses ----

    /** {@code listener} gets the text the read-only view shows, each time it changes. */
    void onShown(Consumer<String> listener) {
        currentListener = listener;
        listener.accept(current.getText());
    }

    /** Types {@code text} into the field and presses "Copy in the VM". */
    void typeAndCopy(String text) {
        input.setText(text);
        copy.fire();
    }

    /** Presses "Quit demo". */
    void pressQuit() {
        quitButton.fire();
    }

    Stage stage() {
        return stage;
    }
}
