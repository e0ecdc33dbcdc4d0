/**
 * The wire protocol of the Xen PV channel {@code org.xenproject.guest.clipboard.0.1}: an RFB 3.8 subset in
 * which dom0 is the server and the guest agent the client, with clipboard text carried as cut text and
 * Unicode through RFB's Extended Clipboard pseudo-encoding. {@code docs/protocol.md} describes the wire and
 * the profile rules.
 *
 * <p>The public API is {@link org.xenclip.protocol.Session} with its two roles, {@link
 * org.xenclip.protocol.SessionConfig}, {@link org.xenclip.protocol.SessionEvent}, {@link
 * org.xenclip.protocol.SessionOutput} and {@link org.xenclip.protocol.ClipboardText}. Everything else is
 * package-private: the message records ({@code Message}), the incremental {@code MessageDecoder} and the
 * {@code MessageEncoder}, the Extended Clipboard body codec and the {@code ClipboardExchange} both roles
 * share once established.
 *
 * <p>Nothing here does I/O, starts threads or reads a clock. A session is fed bytes and the current time
 * by exactly one owner thread (the connection's I/O loop) and returns the bytes to write and the events
 * that happened. Sessions and everything they own are confined to that thread; they are not thread-safe.
 */
package org.xenclip.protocol;
