package org.xenclip.host.vm;

/** The life of one VM's channel connection, as the window and the tray show it. */
public enum VmState {
    /** The user switched the VM off, or it was never enabled: no connection is kept. */
    OFF,
    /** The channel socket does not exist yet (VM shut down, rebooting): retried with back-off. */
    WAITING_FOR_SOCKET,
    CONNECTING,
    HANDSHAKING,
    CONNECTED,
    /** Something a person can act on went wrong; {@link VmStatus#lastError()} says what. */
    ERROR
}
