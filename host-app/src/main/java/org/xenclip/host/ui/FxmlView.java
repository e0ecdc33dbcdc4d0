package org.xenclip.host.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Every FXML view of the app. A view whose file is missing fails when loaded, naming the file. */
enum FxmlView {
    MAIN_WINDOW("main-window.fxml"),
    SETTINGS("settings.fxml");

    /** The stylesheet every view uses, next to the FXML files. */
    static final String STYLESHEET = "xenclip.css";

    private final String file;

    FxmlView(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    URL url() {
        return resource(name(), file);
    }

    static URL resource(String view, String file) {
        URL url = FxmlView.class.getResource(file);
        if (url == null) {
            throw new IllegalStateException(
                    "FXML view " + view + " is missing: " + file + " not found next to " + FxmlView.class.getName());
        }
        return url;
    }

    static URL stylesheet() {
        URL url = FxmlView.class.getResource(STYLESHEET);
        if (url == null) {
            throw new IllegalStateException(
                    "stylesheet " + STYLESHEET + " not found next to " + FxmlView.class.getName());
        }
        return url;
    }

    /**
     * Loads this view with the given, already constructed controller. The FXML names its controller
     * class; a controller of another class is a programming error and fails loudly.
     */
    Parent load(Object controller) {
        FXMLLoader loader = new FXMLLoader(url());
        Map<Class<?>, Object> controllers = Map.of(controller.getClass(), controller);
        loader.setControllerFactory(type -> {
            Object found = controllers.get(type);
            if (found == null) {
                throw new IllegalStateException("FXML view " + name() + " asks for controller " + type.getName()
                        + " but was given " + controller.getClass().getName());
            }
            return found;
        });
        try {
            Parent root = loader.load();
            root.getStylesheets().add(stylesheet().toExternalForm());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("FXML view " + name() + " (" + file + ") failed to load", e);
        }
    }
}
