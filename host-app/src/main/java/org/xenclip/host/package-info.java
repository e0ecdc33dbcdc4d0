/**
 * The host app's launcher ({@link org.xenclip.host.Main}), its engine and the seam a user interface plugs
 * into ({@link org.xenclip.host.HostUi}).
 *
 * <table>
 *   <caption>Who owns what</caption>
 *   <tr><th>thread</th><th>owns</th></tr>
 *   <tr><td>{@code engine}</td><td>the VM table, the {@code ClipboardHub}, every decision about what goes where</td></tr>
 *   <tr><td>{@code vm-<name>-io}</td><td>that VM's socket and protocol session</td></tr>
 *   <tr><td>{@code host-clipboard}</td><td>reads and writes of the dom0 clipboard</td></tr>
 *   <tr><td>{@code discovery-*}</td><td>the socket directory watch, the XenStore watch</td></tr>
 *   <tr><td>{@code settings-save}</td><td>the debounced, atomic settings file writes</td></tr>
 *   <tr><td>{@code held-texts}</td><td>hashing and writing what each VM holds ({@code vm-clipboards.properties})</td></tr>
 *   <tr><td>main</td><td>start-up; then waits for quit (or runs the UI when it blocks)</td></tr>
 * </table>
 *
 * Threads hand work to the engine through its executor; the engine hands work to connections through their
 * command queues.
 */
package org.xenclip.host;
