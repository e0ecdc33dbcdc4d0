package org.xenclip.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import org.xenclip.desktop.wayland.WaylandClipboard;
import org.xenclip.desktop.wayland.WaylandGlobals;
import org.xenclip.desktop.x11.X11Clipboard;

/**
 * Picks the desktop clipboard backend once, at start, by what the session offers, and logs which won and
 * why. {@link Choice#AUTO} prefers Wayland with data-control (wl-clipboard), then X11 (which under a Wayland
 * compositor without data-control means XWayland, with a warning).
 */
public final class ClipboardBackends {

    private static final Logger LOG = Logger.getLogger(ClipboardBackends.class.getName());

    /** How long the compositor gets to list its globals. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** The {@code --backend} values. */
    public enum Choice {
        AUTO,
        X11,
        WAYLAND;

        /**
         * Parses a {@code --backend} value.
         *
         * @throws IllegalArgumentException naming the value and the accepted ones
         */
        public static Choice parse(String value) {
            Objects.requireNonNull(value, "value");
            for (Choice choice : values()) {
                if (choice.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return choice;
                }
            }
            throw new IllegalArgumentException("unknown backend '" + value + "': expected auto, x11 or wayland");
        }
    }

    private ClipboardBackends() {}

    /** Opens the backend for this process's environment. */
    public static ClipboardBackend open(Choice choice, Selection selection) throws ClipboardException {
        return open(choice, selection, System.getenv());
    }

    /**
     * Opens the backend for the session described by {@code environment} ({@code DISPLAY},
     * {@code WAYLAND_DISPLAY}, {@code XDG_RUNTIME_DIR}, {@code PATH}).
     *
     * @throws ClipboardException when the chosen backend (or, for auto, every backend) is unavailable; the
     *     message says why for each
     */
    public static ClipboardBackend open(Choice choice, Selection selection, Map<String, String> environment)
            throws ClipboardException {
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(selection, "selection");
        Map<String, String> env = Map.copyOf(environment);
        switch (choice) {
            case X11:
                return x11(selection, env, "--backend x11");
            case WAYLAND: {
                Wayland wayland = probeWayland(env);
                if (wayland.unavailable != null) {
                    throw new ClipboardException("Wayland backend unavailable: " + wayland.unavailable);
                }
                return wayland(selection, env, wayland, "--backend wayland");
            }
            case AUTO:
            default:
                return auto(selection, env);
        }
    }

    private static ClipboardBackend auto(Selection selection, Map<String, String> env) throws ClipboardException {
        Wayland wayland = probeWayland(env);
        if (wayland.unavailable == null) {
            return wayland(selection, env, wayland, "auto: Wayland session with data-control");
        }
        String display = env.get("DISPLAY");
        boolean waylandSession = !isBlank(env.get("WAYLAND_DISPLAY"));
        if (isBlank(display)) {
            throw new ClipboardException("no desktop clipboard: "
                    + (waylandSession ? "Wayland unusable (" + wayland.unavailable + ") and " : "")
                    + "DISPLAY is not set");
        }
        if (waylandSession) {
            LOG.warning("Wayland clipboard unusable (" + wayland.unavailable + "); using X11 through XWayland on "
                    + display + ": only what the compositor bridges between Wayland and X11 is seen");
            return x11(selection, env, "auto: XWayland fallback");
        }
        return x11(selection, env, "auto: X11 session (WAYLAND_DISPLAY not set)");
    }

    private static ClipboardBackend x11(Selection selection, Map<String, String> env, String why)
            throws ClipboardException {
        String display = env.get("DISPLAY");
        if (isBlank(display)) {
            throw new ClipboardException("X11 backend unavailable: DISPLAY is not set");
        }
        X11Clipboard clipboard;
        try {
            clipboard = X11Clipboard.open(display, selection);
        } catch (UnsatisfiedLinkError e) {
            throw new ClipboardException(
                    "X11 backend unavailable: cannot load libX11.so.6 / libXfixes.so.3 (" + e.getMessage() + ")", e);
        }
        LOG.info("clipboard backend " + clipboard.name() + " for " + selection + " on DISPLAY=" + display + " (" + why
                + (clipboard.name().endsWith("polling") ? "; no XFixes on this server, polling" : "") + ")");
        return clipboard;
    }

    private static ClipboardBackend wayland(Selection selection, Map<String, String> env, Wayland wayland, String why) {
        WaylandClipboard clipboard = WaylandClipboard.open(env, selection, wayland.wlPaste, wayland.wlCopy);
        LOG.info("clipboard backend " + clipboard.name() + " for " + selection + " on WAYLAND_DISPLAY="
                + env.get("WAYLAND_DISPLAY") + " (" + why + ", " + wayland.dataControl + ")");
        return clipboard;
    }

    /** What the Wayland probe found: the tools and protocol, or why Wayland is unusable. */
    private static final class Wayland {
        String unavailable;
        Path wlPaste;
        Path wlCopy;
        String dataControl;
    }

    private static Wayland probeWayland(Map<String, String> env) {
        Wayland result = new Wayland();
        String display = env.get("WAYLAND_DISPLAY");
        if (isBlank(display)) {
            result.unavailable = "WAYLAND_DISPLAY is not set";
            return result;
        }
        Optional<Path> socket = WaylandGlobals.socket(display, env.get("XDG_RUNTIME_DIR"));
        if (socket.isEmpty()) {
            result.unavailable = "XDG_RUNTIME_DIR is not set, so WAYLAND_DISPLAY=" + display + " names no socket";
            return result;
        }
        Optional<Path> wlPaste = program("wl-paste", env);
        Optional<Path> wlCopy = program("wl-copy", env);
        if (wlPaste.isEmpty() || wlCopy.isEmpty()) {
            result.unavailable = "wl-paste/wl-copy not found on PATH (install the wl-clipboard package)";
            return result;
        }
        Map<String, Integer> globals;
        try {
            globals = WaylandGlobals.list(socket.get(), PROBE_TIMEOUT);
        } catch (IOException e) {
            result.unavailable = "cannot query the compositor at " + socket.get() + ": " + e.getMessage();
            return result;
        }
        Optional<String> dataControl = WaylandClipboard.DATA_CONTROL.stream()
                .filter(globals::containsKey)
                .findFirst();
        if (dataControl.isEmpty()) {
            result.unavailable = "the compositor offers no data-control protocol ("
                    + String.join(" or ", List.copyOf(WaylandClipboard.DATA_CONTROL))
                    + "), which wl-paste --watch needs";
            return result;
        }
        result.wlPaste = wlPaste.get();
        result.wlCopy = wlCopy.get();
        result.dataControl = dataControl.get() + " v" + globals.get(dataControl.get());
        return result;
    }

    private static Optional<Path> program(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", System.getenv("PATH"));
        if (path == null) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (String dir : path.split(":", -1)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
