package org.xenclip.host.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.xenclip.host.vm.SyncMode;

/**
 * Everything the user can set, as one immutable value. Change it with the {@code with...} methods and
 * hand the result to {@link SettingsStore#update}.
 *
 * @param defaultMode the mode a newly seen VM gets (issue 3 "Sync policy": off by default)
 * @param shareBetweenVms whether text from one VM is relayed to the other VMs (off by default)
 * @param maxTextBytes the largest clipboard text, in UTF-8 bytes, taken from or sent to a VM
 * @param sanitize whether text from a VM is stripped of C0/C1 controls (except tab and newline) and bidi
 *     overrides before it reaches the dom0 clipboard
 * @param rateLimitCount how many clipboard changes a VM may make within {@code rateLimitWindow}
 * @param rateLimitWindow the window of the rate limit
 * @param paused the global pause
 * @param modes the mode chosen for each VM seen so far, by VM name
 * @param staticVms VMs named in the config file
 * @param socketDir the directory watched for {@code *.sock} channel sockets, if any
 */
public record Settings(
        SyncMode defaultMode,
        boolean shareBetweenVms,
        long maxTextBytes,
        boolean sanitize,
        int rateLimitCount,
        Duration rateLimitWindow,
        boolean paused,
        Map<String, SyncMode> modes,
        List<StaticVm> staticVms,
        Optional<Path> socketDir) {

    /** protocol.md 5.4: clipboard payload cap, 1 MiB by default. */
    public static final long DEFAULT_MAX_TEXT_BYTES = 1L << 20;
    /**
     * Issue 3 "a VM changing its clipboard faster than a person can": ten changes in five seconds is two a
     * second kept up, which no person copying by hand does.
     */
    public static final int DEFAULT_RATE_LIMIT_COUNT = 10;

    public static final Duration DEFAULT_RATE_LIMIT_WINDOW = Duration.ofSeconds(5);
    /** The protocol's payload limit must stay below this (SessionConfig). */
    public static final long MAX_TEXT_BYTES_LIMIT = 64L << 20;

    public Settings {
        Objects.requireNonNull(defaultMode, "defaultMode");
        Objects.requireNonNull(rateLimitWindow, "rateLimitWindow");
        Objects.requireNonNull(socketDir, "socketDir");
        if (maxTextBytes < 1 || maxTextBytes > MAX_TEXT_BYTES_LIMIT) {
            throw new IllegalArgumentException(
                    "max-text-bytes " + maxTextBytes + " outside 1.." + MAX_TEXT_BYTES_LIMIT);
        }
        if (rateLimitCount < 1) {
            throw new IllegalArgumentException("rate-limit-count " + rateLimitCount + " must be at least 1");
        }
        if (rateLimitWindow.isNegative() || rateLimitWindow.isZero()) {
            throw new IllegalArgumentException(
                    "rate-limit-window-ms " + rateLimitWindow.toMillis() + " must be positive");
        }
        modes = java.util.Collections.unmodifiableMap(new TreeMap<>(modes));
        staticVms = List.copyOf(staticVms);
    }

    public static Settings defaults() {
        return new Settings(
                SyncMode.OFF,
                false,
                DEFAULT_MAX_TEXT_BYTES,
                true,
                DEFAULT_RATE_LIMIT_COUNT,
                DEFAULT_RATE_LIMIT_WINDOW,
                false,
                Map.of(),
                List.of(),
                Optional.empty());
    }

    /** The mode remembered for this VM, if the user (or the default for a new VM) ever set one. */
    public Optional<SyncMode> modeOf(String vmName) {
        return Optional.ofNullable(modes.get(vmName));
    }

    public Settings withMode(String vmName, SyncMode mode) {
        Map<String, SyncMode> m = new TreeMap<>(modes);
        m.put(vmName, mode);
        return new Settings(
                defaultMode,
                shareBetweenVms,
                maxTextBytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                paused,
                m,
                staticVms,
                socketDir);
    }

    public Settings withPaused(boolean p) {
        return new Settings(
                defaultMode,
                shareBetweenVms,
                maxTextBytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                p,
                modes,
                staticVms,
                socketDir);
    }

    public Settings withDefaultMode(SyncMode mode) {
        return new Settings(
                mode,
                shareBetweenVms,
                maxTextBytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                paused,
                modes,
                staticVms,
                socketDir);
    }

    public Settings withShareBetweenVms(boolean share) {
        return new Settings(
                defaultMode,
                share,
                maxTextBytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                paused,
                modes,
                staticVms,
                socketDir);
    }

    public Settings withMaxTextBytes(long bytes) {
        return new Settings(
                defaultMode,
                shareBetweenVms,
                bytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                paused,
                modes,
                staticVms,
                socketDir);
    }

    public Settings withSanitize(boolean s) {
        return new Settings(
                defaultMode,
                shareBetweenVms,
                maxTextBytes,
                s,
                rateLimitCount,
                rateLimitWindow,
                paused,
                modes,
                staticVms,
                socketDir);
    }

    public Settings withRateLimit(int count, Duration window) {
        return new Settings(
                defaultMode,
                shareBetweenVms,
                maxTextBytes,
                sanitize,
                count,
                window,
                paused,
                modes,
                staticVms,
                socketDir);
    }

    public Settings withStaticVms(List<StaticVm> vms) {
        return new Settings(
                defaultMode,
                shareBetweenVms,
                maxTextBytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                paused,
                modes,
                vms,
                socketDir);
    }

    public Settings withSocketDir(Optional<Path> dir) {
        return new Settings(
                defaultMode,
                shareBetweenVms,
                maxTextBytes,
                sanitize,
                rateLimitCount,
                rateLimitWindow,
                paused,
                modes,
                staticVms,
                dir);
    }
}
