package org.xenclip.desktop;

/** Told that a selection may have changed; read it to find out. Called on the backend's events thread. */
@FunctionalInterface
public interface ClipboardListener {
    void selectionChanged();
}
