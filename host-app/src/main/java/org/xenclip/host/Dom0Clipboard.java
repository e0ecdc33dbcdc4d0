package org.xenclip.host;

import java.util.Map;
import org.xenclip.desktop.ClipboardBackends;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;

/** Opens the dom0 desktop clipboard (CLIPBOARD selection) through the desktop module's backend choice. */
final class Dom0Clipboard {

    private Dom0Clipboard() {}

    static LocalClipboard open(Map<String, String> env) throws ClipboardException {
        return new BackendClipboard(ClipboardBackends.open(ClipboardBackends.Choice.AUTO, Selection.CLIPBOARD, env));
    }
}
