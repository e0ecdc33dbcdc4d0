package org.xenclip.icons;

import java.net.URL;
import java.util.List;
import java.util.Locale;

/**
 * Finds the rendered icons on the classpath. Every lookup either returns an existing resource or
 * throws: a missing icon is a packaging bug, and an empty tray slot would hide it.
 */
public final class Icons {

    /** The states the tray icon shows; each has its own picture. */
    public enum TrayState {
        /** Connected, nothing moving. */
        IDLE,
        /** Text is crossing a channel right now. */
        SYNCING,
        /** Something needs the user: an error, a new VM, text that was too large. */
        ATTENTION,
        /** The user paused all syncing. */
        PAUSED,
        /** Nothing is connected or syncing is off for every VM. */
        OFF;

        /** The file stem of this state's icon, e.g. {@code tray-idle}. */
        public String iconName() {
            return "tray-" + name().toLowerCase(Locale.ROOT);
        }
    }

    /** The file stem of the application icon, also its name in the hicolor theme. */
    public static final String APP_NAME = "xenclip";

    /** Where the icons live on the classpath (a resource path, no leading slash). */
    static final String BASE = "org/xenclip/icons/";

    /**
     * The pixel sizes rendered by scripts/render-icons.sh: the hicolor theme's usual sizes, from the
     * 16 px of a menu or panel up to 256 px for high-DPI launchers.
     */
    private static final List<Integer> SIZES = List.of(16, 22, 24, 32, 48, 64, 128, 256);

    private Icons() {}

    /** The rendered sizes in ascending order. */
    public static List<Integer> sizes() {
        return SIZES;
    }

    /** The application icon as a PNG of {@code size} x {@code size} pixels. */
    public static URL app(int size) {
        return png(APP_NAME, size);
    }

    /** The tray icon for {@code state} as a PNG of {@code size} x {@code size} pixels. */
    public static URL tray(TrayState state, int size) {
        if (state == null) {
            throw new IllegalArgumentException("tray state is null; expected one of " + List.of(TrayState.values()));
        }
        return png(state.iconName(), size);
    }

    /** The SVG source of the application icon. */
    public static URL appSvg() {
        return resource(BASE + "scalable/" + APP_NAME + ".svg");
    }

    /** The SVG source of the tray icon for {@code state}. */
    public static URL traySvg(TrayState state) {
        if (state == null) {
            throw new IllegalArgumentException("tray state is null; expected one of " + List.of(TrayState.values()));
        }
        return resource(BASE + "scalable/" + state.iconName() + ".svg");
    }

    /**
     * The rendered size to use for a slot of {@code wanted} pixels: the smallest size at least as
     * large (downscaling is cleaner than upscaling), or the largest size if {@code wanted} exceeds
     * them all.
     */
    public static int bestSize(int wanted) {
        if (wanted <= 0) {
            throw new IllegalArgumentException("icon size " + wanted + " must be positive");
        }
        for (int size : SIZES) {
            if (size >= wanted) {
                return size;
            }
        }
        return SIZES.get(SIZES.size() - 1);
    }

    private static URL png(String name, int size) {
        if (!SIZES.contains(size)) {
            throw new IllegalArgumentException(
                    "icon size " + size + " is not rendered; sizes are " + SIZES + " (use Icons.bestSize)");
        }
        return resource(BASE + size + "/" + name + ".png");
    }

    private static URL resource(String path) {
        URL url = Icons.class.getClassLoader().getResource(path);
        if (url == null) {
            throw new IllegalStateException(
                    "icon resource " + path + " is missing from the classpath; run scripts/render-icons.sh");
        }
        return url;
    }
}
