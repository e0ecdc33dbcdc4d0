/**
 * Interoperability with TigerVNC's Xvnc, a real RFB 3.8 server that relays the X clipboard, played by
 * xclip. The session is owned by the driver's single I/O thread; the test thread only queues text for it
 * and waits for its events.
 */
package org.xenclip.protocol.interop;
