/**
 * The desktop clipboard as both apps see it: one {@link org.xenclip.desktop.ClipboardBackend} per
 * {@link org.xenclip.desktop.Selection}, chosen once at start by {@link org.xenclip.desktop.ClipboardBackends}
 * (Wayland through wl-clipboard where the compositor offers data-control, else X11 with XFixes change events).
 * The sync rules both apps apply live in {@code org.xenclip.desktop.sync}.
 *
 * <p>Threads: a backend owns a {@code clipboard} thread for reads and writes (with timeouts) and, where the
 * platform has events, a {@code clipboard-events} thread blocking on them. Listeners are called on the
 * events thread and must hand work off quickly.
 */
package org.xenclip.desktop;
