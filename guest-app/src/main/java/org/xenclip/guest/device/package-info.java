/**
 * The channel device: finding the hvc console that carries {@code org.xenproject.guest.clipboard.0.1},
 * opening it without making it the controlling terminal, and switching it to raw mode on the open
 * descriptor (protocol.md section 1).
 *
 * <p>Threads: discovery runs once on the main thread before the agent starts. The opened
 * {@link org.xenclip.guest.device.ChannelDevice} is then owned by the agent's I/O thread ({@code agent-io}),
 * which is the only thread that reads, writes or closes it.
 */
package org.xenclip.guest.device;
