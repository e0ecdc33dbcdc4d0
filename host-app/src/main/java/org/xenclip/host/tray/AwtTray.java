package org.xenclip.host.tray;

import java.awt.AWTException;
import java.awt.CheckboxMenuItem;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.event.ItemEvent;
import java.awt.image.BufferedImage;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.xenclip.host.tray.TrayMenuItem.Action;
import org.xenclip.host.tray.TrayMenuItem.Separator;
import org.xenclip.host.tray.TrayMenuItem.Submenu;
import org.xenclip.host.tray.TrayMenuItem.Toggle;

/**
 * AWT's {@link SystemTray}, which on X11 is the XEmbed system tray protocol (trayer, stalonetray,
 * older panels). AWT objects are only touched on the AWT event thread.
 *
 * <p>AWT must start after JavaFX: AWT loads GTK2 for its look-and-feel probe, and a JavaFX started
 * later then fails to load GTK3. {@link Provider#open} is therefore only called once the FX toolkit runs.
 */
final class AwtTray implements Tray {

    private static final Logger LOG = Logger.getLogger(AwtTray.class.getName());

    private final TrayIcon icon;
    private final int iconSize;
    private String shownMenu = "";
    private TrayIconState shownState;

    private AwtTray(TrayIcon icon, int iconSize) {
        this.icon = icon;
        this.iconSize = iconSize;
    }

    static final class Provider implements TrayProvider {
        @Override
        public String name() {
            return "XEmbed tray (AWT)";
        }

        @Override
        public int priority() {
            return 20;
        }

        @Override
        public Optional<Tray> open(TrayCommands commands) {
            if (GraphicsEnvironment.isHeadless()) {
                LOG.info("tray: AWT is headless, no XEmbed tray");
                return Optional.empty();
            }
            try {
                AwtTray[] result = new AwtTray[1];
                EventQueue.invokeAndWait(() -> result[0] = create(commands));
                return Optional.ofNullable(result[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (InvocationTargetException e) {
                LOG.warning(() -> "tray: AWT tray failed: " + e.getCause());
                return Optional.empty();
            }
        }

        private static AwtTray create(TrayCommands commands) {
            if (!SystemTray.isSupported()) {
                LOG.info("tray: no XEmbed system tray on this display");
                return null;
            }
            SystemTray tray = SystemTray.getSystemTray();
            int size = Math.max(16, Math.min(tray.getTrayIconSize().width, tray.getTrayIconSize().height));
            TrayIcon icon = new TrayIcon(image(TrayIconState.IDLE, size), "xenclip");
            icon.setImageAutoSize(false);
            icon.addActionListener(e -> commands.openWindow());
            try {
                tray.add(icon);
            } catch (AWTException e) {
                LOG.info(() -> "tray: XEmbed tray refused the icon: " + e.getMessage());
                return null;
            }
            return new AwtTray(icon, size);
        }
    }

    @Override
    public String name() {
        return "XEmbed tray (AWT)";
    }

    @Override
    public void update(TrayMenuModel menu, TrayIconState state, String tooltip) {
        EventQueue.invokeLater(() -> {
            String description = menu.describe();
            // rebuilding an open AWT popup closes it: only rebuild when something visible changed
            if (!description.equals(shownMenu)) {
                PopupMenu popup = new PopupMenu();
                fill(popup, menu.items());
                icon.setPopupMenu(popup);
                shownMenu = description;
            }
            if (state != shownState) {
                icon.setImage(image(state, iconSize));
                shownState = state;
            }
            icon.setToolTip(tooltip);
        });
    }

    private static void fill(Menu menu, List<TrayMenuItem> items) {
        for (TrayMenuItem item : items) {
            if (item instanceof Action action) {
                MenuItem entry = new MenuItem(action.label());
                entry.setEnabled(action.enabled());
                entry.addActionListener(e -> action.onSelect().run());
                menu.add(entry);
            } else if (item instanceof Toggle toggle) {
                CheckboxMenuItem entry = new CheckboxMenuItem(toggle.label(), toggle.selected());
                entry.setEnabled(toggle.enabled());
                entry.addItemListener(e -> toggle.onChange().accept(e.getStateChange() == ItemEvent.SELECTED));
                menu.add(entry);
            } else if (item instanceof Separator) {
                menu.addSeparator();
            } else if (item instanceof Submenu submenu) {
                Menu entry = new Menu(submenu.label());
                fill(entry, submenu.items());
                menu.add(entry);
            }
        }
    }

    private static Image image(TrayIconState state, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, size, size, TrayIconImages.argb(state, size), 0, size);
        return image;
    }

    @Override
    public void close() {
        EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }
}
