/**
 * One connection per VM to the channel socket QEMU listens on, with dom0 as the RFB server.
 *
 * <p>Threads: each {@link org.xenclip.host.connection.VmConnection} owns one daemon thread,
 * {@code vm-<name>-io}, which alone touches its socket, selector and protocol session. Other threads talk
 * to it only through its command queue (send text, accept incoming, retry now, close); it reports through a
 * {@link org.xenclip.host.connection.ConnectionEvent} consumer that must hand the event off quickly.
 *
 * <table>
 *   <caption>Who owns what</caption>
 *   <tr><th>thread</th><th>owns</th></tr>
 *   <tr><td>{@code vm-<name>-io}</td><td>that VM's socket channel, selector, session, pending output</td></tr>
 *   <tr><td>any</td><td>the command queue (concurrent)</td></tr>
 * </table>
 */
package org.xenclip.host.connection;
