/**
 * The host app's window: the VM table with each VM's toggle and direction, the settings, and the
 * notifications; plus {@link org.xenclip.host.ui.DesktopUi}, which starts JavaFX, the tray and the
 * desktop notifications around a {@link org.xenclip.host.vm.HostModel}.
 *
 * <p>Views are FXML files listed in {@link org.xenclip.host.ui.FxmlView}; controllers are thin and get
 * their collaborators through their constructors.
 *
 * <p>Threads:
 *
 * <table>
 *   <caption>who owns what</caption>
 *   <tr><th>thread</th><th>owns</th></tr>
 *   <tr><td>JavaFX application thread</td><td>every Node, the {@link org.xenclip.host.ui.VmRows} list
 *       the table binds to, the notification list</td></tr>
 *   <tr><td>{@code ui-quit}</td><td>closes tray, notifier and window, then runs the engine's quit</td></tr>
 *   <tr><td>{@code ui-actions} (daemon)</td><td>calls into the {@link org.xenclip.host.vm.HostModel}
 *       on the user's behalf, so that a slow engine never freezes the window</td></tr>
 *   <tr><td>{@code tray-refresh} (daemon)</td><td>rebuilds the tray menu model and pushes it to the
 *       tray</td></tr>
 *   <tr><td>engine threads</td><td>call the model listeners, which only hand work to the threads
 *       above</td></tr>
 * </table>
 */
package org.xenclip.host.ui;
