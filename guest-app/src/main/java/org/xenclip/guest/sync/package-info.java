/**
 * The agent's sync rules between the guest's clipboard and dom0: {@link org.xenclip.guest.sync.ClipboardSync}
 * (echo suppression, size cap, secrets, the reconnect rule, deferring to dom0) and {@link
 * org.xenclip.guest.sync.Debouncer} for bursts of change events. Pure logic with injected time; no threads of
 * its own. A {@code ClipboardSync} belongs to the agent's I/O thread.
 */
package org.xenclip.guest.sync;
