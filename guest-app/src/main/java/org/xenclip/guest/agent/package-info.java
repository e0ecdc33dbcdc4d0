/**
 * The agent: one loop that owns the channel device and the protocol session, and the hand-over of
 * clipboard changes between the desktop and that loop.
 *
 * <p>Who owns what:
 *
 * <table>
 *   <caption>threads of the guest agent</caption>
 *   <tr><th>thread</th><th>owns</th></tr>
 *   <tr><td>{@code agent-io}</td><td>the {@link org.xenclip.guest.device.ChannelDevice}, the
 *       {@link org.xenclip.protocol.ClientSession}, the sync decisions and the output queue</td></tr>
 *   <tr><td>{@code agent-clipboard}</td><td>calls into the desktop clipboard backends (reads after a change
 *       event, writes of text from dom0), each with a timeout</td></tr>
 *   <tr><td>the backend's {@code clipboard-events}</td><td>change notifications; they only schedule a read
 *       on {@code agent-clipboard}</td></tr>
 * </table>
 *
 * <p>Threads hand work over through {@link java.util.concurrent.ConcurrentLinkedQueue}s and a wake-up pipe
 * that the I/O loop polls next to the device; nothing mutable is shared.
 */
package org.xenclip.guest.agent;
