/**
 * The wire protocol of the Xen PV channel {@code org.xenproject.guest.clipboard.0.1}: an RFB 3.8 subset in
 * which dom0 is the server and the guest agent the client, with clipboard text carried as cut text and
 * Unicode through RFB's Extended Clipboard pseudo-encoding.
 *
 * <p>Nothing here does I/O, starts threads or reads a clock. A session is fed bytes and the current time
 * by exactly one owner thread (the connection's I/O loop) and returns the bytes to write and the events
 * that happened. Sessions are not thread-safe.
 */
package org.xenclip.protocol;
