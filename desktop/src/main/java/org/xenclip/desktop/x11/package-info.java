/**
 * The X11 clipboard: AWT for reading and writing text, XFixes through jnr-ffi for change events.
 *
 * <p>Threads: {@code clipboard} (one per {@link org.xenclip.desktop.x11.X11Clipboard}) makes every AWT
 * clipboard call, bounded by the caller's timeout, and owns a small X connection of its own for asking the
 * server who owns the selection; {@code clipboard-events} owns the watcher's own X display
 * connection (opened, polled and closed on it) or, without XFixes, runs the polling loop. Listeners are called
 * on {@code clipboard-events}.
 */
package org.xenclip.desktop.x11;
