package org.xenclip.host.vm;

/** Something the user should hear about, shown as a desktop notification and in the window. */
public record HostNotification(Kind kind, String vmName, String message) {

    public enum Kind {
        NEW_VM,
        OVERSIZE,
        RATE_LIMITED,
        ERROR
    }
}
