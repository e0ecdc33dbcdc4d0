/**
 * The Wayland clipboard through wl-clipboard's programs, and a minimal Wayland registry probe that tells
 * whether the compositor offers data-control.
 *
 * <p>Threads: {@code clipboard-events} reads {@code wl-paste --watch}'s output and calls the listeners; reads
 * and writes run on the caller's thread as child processes bounded by the caller's timeout (short-lived
 * {@code clipboard-io} threads drain their output).
 */
package org.xenclip.desktop.wayland;
