package org.xenclip.host.ui;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.scene.control.CheckBox;

/** Check boxes that also work through their mnemonic. */
final class CheckBoxes {

    private CheckBoxes() {}

    /**
     * Calls {@code changed} with the new state whenever the user flips the box by mouse, Space or
     * mnemonic. A mnemonic (Alt+letter) only fires the box's action event without flipping it, so an
     * action that leaves the box as {@code shown} says it is flips it here.
     *
     * @param shown the state the box should show when the user has done nothing
     */
    static void onUserChange(CheckBox box, BooleanSupplier shown, Consumer<Boolean> changed) {
        box.setOnAction(event -> {
            boolean wanted = box.isSelected();
            if (wanted == shown.getAsBoolean()) {
                wanted = !wanted;
                box.setSelected(wanted);
            }
            changed.accept(wanted);
        });
    }
}
