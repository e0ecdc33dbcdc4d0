package org.xenclip.host.tray;

import java.util.Optional;

/** One way of getting a tray; {@link TrayProviders} tries them by priority. */
public interface TrayProvider {

    String name();

    /** Lower runs first. */
    int priority();

    /**
     * Opens the tray if this desktop offers it, or explains why not. Must not throw for "not
     * available": return empty and log why.
     */
    Optional<Tray> open(TrayCommands commands);
}
