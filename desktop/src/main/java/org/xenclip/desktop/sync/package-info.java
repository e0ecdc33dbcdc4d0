/**
 * The sync rules both apps apply between their desktop clipboard and a peer: {@link
 * org.xenclip.desktop.sync.ClipboardSync} (echo suppression, size cap, secrets, reconnect arbitration) and
 * {@link org.xenclip.desktop.sync.Debouncer} for bursts of change events. Pure logic with injected time; no
 * threads of its own. A {@code ClipboardSync} belongs to the connection's I/O thread.
 */
package org.xenclip.desktop.sync;
