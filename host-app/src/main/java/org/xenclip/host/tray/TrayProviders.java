package org.xenclip.host.tray;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Picks the first tray that the desktop offers, by priority. */
public final class TrayProviders {

    private static final Logger LOG = Logger.getLogger(TrayProviders.class.getName());

    private TrayProviders() {}

    /** StatusNotifierItem first (modern panels), AWT's XEmbed tray second (older panels, trayer). */
    public static List<TrayProvider> standard() {
        return List.of(new SniTray.Provider(), new AwtTray.Provider());
    }

    public static Optional<Tray> open(List<TrayProvider> providers, TrayCommands commands) {
        for (TrayProvider provider : providers.stream()
                .sorted(Comparator.comparingInt(TrayProvider::priority))
                .toList()) {
            try {
                Optional<Tray> tray = provider.open(commands);
                if (tray.isPresent()) {
                    LOG.info(() -> "tray: using " + provider.name());
                    return tray;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tray: " + provider.name() + " failed to open", e);
            }
        }
        LOG.info("tray: none available, the window is the UI");
        return Optional.empty();
    }
}
