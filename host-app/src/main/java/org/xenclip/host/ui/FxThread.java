package org.xenclip.host.ui;

import javafx.application.Platform;

/** Guards for methods that may only run on the JavaFX application thread. */
final class FxThread {

    private FxThread() {}

    static void check() {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("must run on the JavaFX application thread, not on "
                    + Thread.currentThread().getName());
        }
    }
}
