package org.xenclip.host.tray;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javax.imageio.ImageIO;
import org.xenclip.icons.Icons;

/**
 * The tray and window icons as ARGB pixels, decoded from the icons module's PNGs ({@link Icons}).
 *
 * <p>The icons jar is a dependency of this app, so a missing or unreadable icon is a packaging bug:
 * it fails loudly here rather than being papered over with a drawn stand-in.
 *
 * <p>Decoding uses ImageIO on in-memory images only, which does not start the AWT toolkit.
 */
public final class TrayIconImages {

    private TrayIconImages() {}

    /** The tray icon: row-major, non-premultiplied ARGB, {@code size * size} pixels. */
    public static int[] argb(TrayIconState state, int size) {
        return pixels(Icons.tray(iconState(state), Icons.bestSize(size)), size);
    }

    /** The application icon (window icon), like {@link #argb}. */
    public static int[] appArgb(int size) {
        return pixels(Icons.app(Icons.bestSize(size)), size);
    }

    /** The icons module's picture for each state the tray shows. */
    static Icons.TrayState iconState(TrayIconState state) {
        return switch (state) {
            case IDLE -> Icons.TrayState.IDLE;
            case SYNCING -> Icons.TrayState.SYNCING;
            case ATTENTION -> Icons.TrayState.ATTENTION;
            case PAUSED -> Icons.TrayState.PAUSED;
        };
    }

    /** Decodes {@code url} and scales it to {@code size} (the rendered size is the next one up). */
    private static int[] pixels(URL url, int size) {
        BufferedImage image;
        try {
            image = ImageIO.read(url);
        } catch (IOException e) {
            throw new UncheckedIOException("icon " + url + " unreadable: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalStateException("icon " + url + " is not a PNG ImageIO can read");
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
        return scaled.getRGB(0, 0, size, size, null, 0, size);
    }
}
