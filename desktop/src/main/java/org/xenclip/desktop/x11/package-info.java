/**
 * The X11 clipboard, spoken to directly through Xlib and XFixes (bound with jnr-ffi): owning a selection,
 * answering paste requests, reading other owners' texts, and change events.
 *
 * <p>Threads: {@code clipboard} (one per {@link org.xenclip.desktop.x11.X11Clipboard}) owns that clipboard's X
 * connection and window and makes every X call on it; other threads hand it reads and writes and wait for the
 * result. Listeners are called on {@code clipboard-events}, which also runs the polling loop where the server has
 * no XFixes. The process's Xlib error handler is {@code XErrors}', installed once.
 */
package org.xenclip.desktop.x11;
