/**
 * The desktop clipboard as both apps see it: one {@link org.xenclip.desktop.ClipboardBackend} per
 * {@link org.xenclip.desktop.Selection}, chosen once at start by {@link org.xenclip.desktop.ClipboardBackends}
 * (Wayland through wl-clipboard where the compositor offers data-control, else X11 with XFixes change events).
 * What each app does with a change is its own: dom0's {@code ClipboardHub} (host app) and the agent's
 * {@code ClipboardSync} (guest app).
 *
 * <p>Threads: a backend owns a {@code clipboard} thread for reads and writes (with timeouts) and, where the
 * platform has events, a {@code clipboard-events} thread blocking on them. Listeners are called on the
 * events thread and must hand work off quickly.
 */
package org.xenclip.desktop;
