/**
 * The README's demo: the real host app and the real guest agent in one JVM, joined by the channel simulator,
 * with a window standing in for the simulated VM's clipboard. The only module that depends on both apps: it
 * composes them through their public seams (host-app's {@code Main.run(List, HostUi)} and {@code DesktopUi}).
 *
 * <p>Threads: the launcher's main thread builds the simulated VM and runs the host app until quit; the
 * windows belong to the JavaFX application thread; the {@link org.xenclip.demo.GuestClipboard} is shared
 * (thread-safe) between the agent's threads and the window.
 */
package org.xenclip.demo;
