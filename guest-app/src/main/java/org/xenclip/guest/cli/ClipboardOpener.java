package org.xenclip.guest.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardBackends;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;

/**
 * Opens the desktop clipboard backends the flags ask for: CLIPBOARD, plus PRIMARY with {@code --primary}. The
 * desktop module decides X11 or Wayland once and logs which won and why.
 */
final class ClipboardOpener {

    private ClipboardOpener() {}

    static List<ClipboardBackend> open(Options options, Map<String, String> env) throws ClipboardException {
        List<Selection> selections =
                options.primary() ? List.of(Selection.CLIPBOARD, Selection.PRIMARY) : List.of(Selection.CLIPBOARD);
        ClipboardBackends.Choice choice =
                ClipboardBackends.Choice.valueOf(options.backend().name());
        List<ClipboardBackend> opened = new ArrayList<>();
        try {
            for (Selection selection : selections) {
                opened.add(ClipboardBackends.open(choice, selection, env));
            }
        } catch (ClipboardException | RuntimeException e) {
            opened.forEach(ClipboardBackend::close);
            throw e;
        }
        return opened;
    }
}
