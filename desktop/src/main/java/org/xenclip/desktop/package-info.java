/**
 * The desktop clipboard as both apps see it: one {@link org.xenclip.desktop.ClipboardBackend} chosen at
 * start by availability (X11 with XFixes change events, Wayland through wl-clipboard), and the pure sync
 * rules (echo suppression, size cap, secret hints) both apps apply.
 *
 * <p>Threads: a backend owns a {@code clipboard} thread for reads and writes (with timeouts) and, where the
 * platform has events, a {@code clipboard-events} thread blocking on them. Listeners are called on the
 * events thread and must hand work off quickly.
 */
package org.xenclip.desktop;
