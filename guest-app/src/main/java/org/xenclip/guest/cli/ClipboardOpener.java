package org.xenclip.guest.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.x11.X11Clipboard;

/**
 * Opens the desktop clipboard backends the flags ask for, deciding X11 or Wayland once at start and logging
 * which won and why.
 */
final class ClipboardOpener {

    private static final Logger LOG = Logger.getLogger(ClipboardOpener.class.getName());

    private ClipboardOpener() {}

    /** CLIPBOARD, plus PRIMARY with {@code --primary}. */
    static List<ClipboardBackend> open(Options options, Map<String, String> env) throws ClipboardException {
        List<Selection> selections =
                options.primary() ? List.of(Selection.CLIPBOARD, Selection.PRIMARY) : List.of(Selection.CLIPBOARD);
        List<ClipboardBackend> opened = new ArrayList<>();
        try {
            for (Selection selection : selections) {
                opened.add(openOne(options.backend(), selection, env));
            }
        } catch (ClipboardException | RuntimeException | LinkageError e) {
            opened.forEach(ClipboardBackend::close);
            throw e instanceof ClipboardException ce ? ce : new ClipboardException(e.toString(), e);
        }
        return opened;
    }

    private static ClipboardBackend openOne(Options.Backend wanted, Selection selection, Map<String, String> env)
            throws ClipboardException {
        String display = env.get("DISPLAY");
        String wayland = env.get("WAYLAND_DISPLAY");
        if (wanted == Options.Backend.WAYLAND) {
            throw new ClipboardException(
                    "the Wayland backend is not available in this build; use --backend x11" + " (XWayland) or auto");
        }
        if (wanted == Options.Backend.AUTO && wayland != null && !wayland.isEmpty()) {
            LOG.warning(() -> "WAYLAND_DISPLAY=" + wayland + " is set but this build has no Wayland backend: using"
                    + " X11 through XWayland, which sees the clipboard only while an X11 window has focus");
        }
        if (display == null || display.isEmpty()) {
            throw new ClipboardException("no X display: DISPLAY is not set (is the agent running inside the"
                    + " graphical session? systemd user units need 'dbus-update-activation-environment --systemd"
                    + " DISPLAY')");
        }
        X11Clipboard clipboard = X11Clipboard.open(display, selection);
        LOG.info(() -> "clipboard: " + clipboard.name() + " on DISPLAY=" + display + " (" + selection
                + (wanted == Options.Backend.X11 ? ", --backend x11" : ", X11 session") + ")");
        return clipboard;
    }
}
