package org.xenclip.host.tray;

/**
 * The tray and window icons as ARGB pixels.
 *
 * <p>Placeholder drawing until the {@code icons} module's PNGs are on the classpath: {@link #argb}
 * is the single place to switch to them.
 */
public final class TrayIconImages {

    private TrayIconImages() {}

    /** Row-major, non-premultiplied ARGB, {@code size * size} pixels. */
    public static int[] argb(TrayIconState state, int size) {
        return placeholder(state, size);
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
