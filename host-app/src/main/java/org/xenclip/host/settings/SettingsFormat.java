package org.xenclip.host.settings;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xenclip.host.vm.SyncMode;

/**
 * The settings file as text: Java properties with one key per line, written sorted so that a diff of two
 * saves shows what changed. Reading is strict: an unknown key or a bad value makes the whole file broken
 * (the store then reports it and starts from defaults), so a typo never silently means something else.
 */
public final class SettingsFormat {

    static final String DEFAULT_MODE = "default-mode";
    static final String SHARE_BETWEEN_VMS = "share-between-vms";
    static final String MAX_TEXT_BYTES = "max-text-bytes";
    static final String SANITIZE = "sanitize";
    static final String RATE_LIMIT_COUNT = "rate-limit-count";
    static final String RATE_LIMIT_WINDOW_MS = "rate-limit-window-ms";
    static final String PAUSED = "paused";
    static final String SOCKET_DIR = "socket-dir";
    static final String VM_PREFIX = "vm.";
    static final String MODE_SUFFIX = ".mode";
    static final String PATH_SUFFIX = ".path";

    private SettingsFormat() {}

    /**
     * Parses a mode as users write it: {@code off}, {@code to-guest}, {@code from-guest}, {@code both}
     * (any case, {@code _} for {@code -}).
     *
     * @throws IllegalArgumentException naming the value and the accepted spellings
     */
    public static SyncMode parseMode(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SyncMode m : SyncMode.values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode '" + value + "' is not one of off, to-guest, from-guest, both");
    }

    /** The spelling {@link #parseMode} reads back. */
    public static String formatMode(SyncMode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Settings parse(String text) throws SettingsException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingsException("not a properties file: " + e.getMessage(), e);
        }
        Settings d = Settings.defaults();
        SyncMode defaultMode = d.defaultMode();
        boolean share = d.shareBetweenVms();
        long maxBytes = d.maxTextBytes();
        boolean sanitize = d.sanitize();
        int rateCount = d.rateLimitCount();
        Duration rateWindow = d.rateLimitWindow();
        boolean paused = d.paused();
        Optional<Path> socketDir = Optional.empty();
        Map<String, SyncMode> modes = new TreeMap<>();
        Map<String, Path> paths = new TreeMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            String value = p.getProperty(key).trim();
            try {
                switch (key) {
                    case DEFAULT_MODE -> defaultMode = parseMode(value);
                    case SHARE_BETWEEN_VMS -> share = parseBoolean(value);
                    case MAX_TEXT_BYTES -> maxBytes = Long.parseLong(value);
                    case SANITIZE -> sanitize = parseBoolean(value);
                    case RATE_LIMIT_COUNT -> rateCount = Integer.parseInt(value);
                    case RATE_LIMIT_WINDOW_MS -> rateWindow = Duration.ofMillis(Long.parseLong(value));
                    case PAUSED -> paused = parseBoolean(value);
                    case SOCKET_DIR -> socketDir = Optional.of(parsePath(value));
                    default -> {
                        if (key.startsWith(VM_PREFIX) && key.endsWith(MODE_SUFFIX)) {
                            modes.put(vmName(key, MODE_SUFFIX), parseMode(value));
                        } else if (key.startsWith(VM_PREFIX) && key.endsWith(PATH_SUFFIX)) {
                            paths.put(vmName(key, PATH_SUFFIX), parsePath(value));
                        } else {
                            throw new IllegalArgumentException("unknown key");
                        }
                    }
                }
            } catch (IllegalArgumentException e) { // NumberFormatException is one too
                throw new SettingsException("key '" + key + "' value '" + value + "': " + e.getMessage(), e);
            }
        }
        List<StaticVm> statics = new ArrayList<>();
        paths.forEach((name, path) -> statics.add(new StaticVm(name, path, Optional.empty())));
        try {
            return new Settings(
                    defaultMode, share, maxBytes, sanitize, rateCount, rateWindow, paused, modes, statics, socketDir);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    static String format(Settings s) {
        StringBuilder b = new StringBuilder();
        b.append("# xenclip host settings; written by the app, edit while it is not running.\n");
        b.append("# Modes: off, to-guest, from-guest, both.\n");
        line(b, DEFAULT_MODE, formatMode(s.defaultMode()));
        line(b, MAX_TEXT_BYTES, Long.toString(s.maxTextBytes()));
        line(b, PAUSED, Boolean.toString(s.paused()));
        line(b, RATE_LIMIT_COUNT, Integer.toString(s.rateLimitCount()));
        line(b, RATE_LIMIT_WINDOW_MS, Long.toString(s.rateLimitWindow().toMillis()));
        line(b, SANITIZE, Boolean.toString(s.sanitize()));
        line(b, SHARE_BETWEEN_VMS, Boolean.toString(s.shareBetweenVms()));
        s.socketDir().ifPresent(dir -> line(b, SOCKET_DIR, dir.toString()));
        Map<String, String> vmLines = new TreeMap<>();
        s.modes().forEach((name, mode) -> vmLines.put(VM_PREFIX + name + MODE_SUFFIX, formatMode(mode)));
        for (StaticVm vm : s.staticVms()) {
            vmLines.put(VM_PREFIX + vm.name() + PATH_SUFFIX, vm.socketPath().toString());
        }
        vmLines.forEach((k, v) -> line(b, k, v));
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        // Properties escaping by hand keeps the file sorted and free of the timestamp Properties.store adds.
        b.append(escape(key, true)).append('=').append(escape(value, false)).append('\n');
    }

    private static String escape(String s, boolean isKey) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '=', ':', '#', '!' -> b.append('\\').append(c);
                case ' ' -> b.append(isKey || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String vmName(String key, String suffix) {
        return VmNames.check(key.substring(VM_PREFIX.length(), key.length() - suffix.length()));
    }

    private static boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Path parsePath(String v) {
        try {
            Path p = Path.of(v);
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("path must be absolute");
            }
            return p;
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
