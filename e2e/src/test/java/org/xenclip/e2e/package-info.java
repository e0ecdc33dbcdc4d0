/**
 * The whole system end to end, without Xen: the real host app ({@code java -jar xenclip-host.jar --no-ui}) on
 * one Xvfb playing dom0's desktop, the real guest agent ({@code java -jar xenclip-guest.jar}) on a second Xvfb
 * playing the VM's desktop, the channel simulator between them in the test JVM, and xclip/xsel as the user on
 * each display. Also the whole-path benchmark ({@link org.xenclip.e2e.WholePathBenchmark}).
 *
 * <p>Threads: each test owns its {@link org.xenclip.e2e.Rig} on the JUnit thread; a
 * {@link org.xenclip.e2e.ClipboardWatch} samples one display on a daemon thread of its own. Nothing here logs
 * clipboard content: failures name lengths and hashes only.
 */
package org.xenclip.e2e;
