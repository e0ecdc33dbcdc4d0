package org.xenclip.host.tray;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import javax.imageio.ImageIO;

/**
 * The tray and window icons as ARGB pixels.
 *
 * <p>They come from the {@code icons} module's rendered PNGs on the classpath
 * ({@code org/xenclip/icons/<size>/tray-<state>.png}, {@code xenclip.png} for the app). Where those
 * are missing (a build without the icons module) a clipboard is drawn in code instead, so the tray never
 * shows an empty slot; {@link #argb} and {@link #appArgb} are the only places that choose.
 *
 * <p>Decoding uses ImageIO on in-memory images only, which does not start the AWT toolkit.
 */
public final class TrayIconImages {

    private static final Logger LOG = Logger.getLogger(TrayIconImages.class.getName());

    /** The sizes the icons module renders (its scripts/render-icons.sh). */
    static final List<Integer> RENDERED_SIZES = List.of(16, 22, 24, 32, 48, 64, 128, 256);

    private static final String BASE = "org/xenclip/icons/";

    private TrayIconImages() {}

    /** The tray icon: row-major, non-premultiplied ARGB, {@code size * size} pixels. */
    public static int[] argb(TrayIconState state, int size) {
        return rendered("tray-" + state.name().toLowerCase(Locale.ROOT), size)
                .orElseGet(() -> placeholder(state, size));
    }

    /** The application icon (window icon), like {@link #argb}. */
    public static int[] appArgb(int size) {
        return rendered("xenclip", size).orElseGet(() -> placeholder(TrayIconState.IDLE, size));
    }

    /** Whether the icons module's pictures are on the classpath (else the drawn placeholders are used). */
    public static boolean renderedIconsPresent() {
        return TrayIconImages.class.getClassLoader().getResource(BASE + "16/tray-idle.png") != null;
    }

    private static Optional<int[]> rendered(String name, int size) {
        int source = RENDERED_SIZES.stream()
                .filter(rendered -> rendered >= size)
                .findFirst()
                .orElse(RENDERED_SIZES.get(RENDERED_SIZES.size() - 1));
        URL url = TrayIconImages.class.getClassLoader().getResource(BASE + source + "/" + name + ".png");
        if (url == null) {
            return Optional.empty();
        }
        try {
            BufferedImage image = ImageIO.read(url);
            if (image == null) {
                LOG.warning(() -> "icon " + url + " is not a PNG ImageIO can read; drawing a placeholder");
                return Optional.empty();
            }
            BufferedImage scaled = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(image, 0, 0, size, size, null);
            } finally {
                g.dispose();
            }
            return Optional.of(scaled.getRGB(0, 0, size, size, null, 0, size));
        } catch (IOException e) {
            LOG.warning(() -> "icon " + url + " unreadable (" + e.getMessage() + "); drawing a placeholder");
            return Optional.empty();
        }
    }

    private static int[] placeholder(TrayIconState state, int size) {
        int[] pixels = new int[size * size];
        int board = 0xFF37474F;
        int accent =
                switch (state) {
                    case IDLE -> 0xFF4CAF50;
                    case SYNCING -> 0xFF2196F3;
                    case ATTENTION -> 0xFFF44336;
                    case PAUSED -> 0xFF9E9E9E;
                };
        double s = size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double fx = (x + 0.5) / s;
                double fy = (y + 0.5) / s;
                int colour = 0;
                // a clipboard: a dark board with a clip on top and a coloured sheet
                if (fx > 0.14 && fx < 0.86 && fy > 0.12 && fy < 0.96) {
                    colour = board;
                }
                if (fx > 0.24 && fx < 0.76 && fy > 0.26 && fy < 0.88) {
                    colour = accent;
                }
                if (fx > 0.34 && fx < 0.66 && fy > 0.04 && fy < 0.2) {
                    colour = 0xFFB0BEC5;
                }
                if (colour == accent) {
                    colour = mark(state, fx, fy, accent);
                }
                pixels[y * size + x] = colour;
            }
        }
        return pixels;
    }

    /** The white sign on the sheet: pause bars, an exclamation mark, or lines of text. */
    private static int mark(TrayIconState state, double fx, double fy, int accent) {
        int white = 0xFFFFFFFF;
        boolean on =
                switch (state) {
                    case PAUSED -> fy > 0.4 && fy < 0.76 && ((fx > 0.36 && fx < 0.45) || (fx > 0.55 && fx < 0.64));
                    case ATTENTION -> fx > 0.44 && fx < 0.56 && ((fy > 0.34 && fy < 0.64) || (fy > 0.7 && fy < 0.8));
                    case IDLE, SYNCING -> fx > 0.32
                            && fx < 0.68
                            && (Math.abs(fy - 0.42) < 0.035
                                    || Math.abs(fy - 0.57) < 0.035
                                    || Math.abs(fy - 0.72) < 0.035);
                };
        return on ? white : accent;
    }
}
