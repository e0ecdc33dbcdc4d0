/**
 * The tray icon and its menu.
 *
 * <p>The menu is a plain data model ({@link org.xenclip.host.tray.TrayMenuModel}) built from the VM
 * snapshots, so it can be checked without a display; each {@link org.xenclip.host.tray.Tray}
 * implementation only renders it. Implementations are tried in priority order by {@link
 * org.xenclip.host.tray.TrayProviders}: StatusNotifierItem over D-Bus first, AWT's XEmbed tray second.
 *
 * <p>Threads: the model is immutable and may cross threads. {@link org.xenclip.host.tray.SniTray}
 * receives D-Bus calls on dbus-java's worker threads and keeps its current model in a volatile field;
 * {@link org.xenclip.host.tray.AwtTray} touches AWT objects only on the AWT event thread. Menu
 * callbacks ({@link org.xenclip.host.tray.TrayCommands}) are invoked on those threads and must not
 * block them.
 */
package org.xenclip.host.tray;
