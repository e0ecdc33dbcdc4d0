/**
 * The sync policy with dom0 as the hub: which text goes from the dom0 clipboard to which VM and back,
 * echo suppression, and the defences against untrusted VM text (size cap, sanitiser, rate limit).
 *
 * <p>Pure logic: no I/O, no threads, no clock. {@link org.xenclip.host.hub.ClipboardHub} is owned by the
 * engine thread ({@code engine}) and returns {@link org.xenclip.host.hub.HubAction}s that the engine carries
 * out; tests drive it with plain calls and a number for the time.
 */
package org.xenclip.host.hub;
