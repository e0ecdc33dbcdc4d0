package org.xenclip.host;

import java.util.Map;
import org.xenclip.desktop.ClipboardException;

/** Opens the dom0 desktop clipboard through the desktop module. */
final class Dom0Clipboard {

    private Dom0Clipboard() {}

    static LocalClipboard open(Map<String, String> env) throws ClipboardException {
        if (env.isEmpty()) {
            throw new ClipboardException("no environment");
        }
        throw new ClipboardException("the desktop module has no backend factory yet");
    }
}
