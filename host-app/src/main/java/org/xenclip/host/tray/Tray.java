package org.xenclip.host.tray;

/** A tray icon with its menu, as one desktop technology shows it. */
public interface Tray extends AutoCloseable {

    /** A short name for logs and the window's status line, e.g. {@code "StatusNotifierItem"}. */
    String name();

    /** Replaces the menu, the icon and the tooltip. Callable from any thread. */
    void update(TrayMenuModel menu, TrayIconState icon, String tooltip);

    @Override
    void close();
}
