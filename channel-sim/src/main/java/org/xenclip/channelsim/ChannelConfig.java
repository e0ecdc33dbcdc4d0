package org.xenclip.channelsim;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@link SimulatedChannel} is started with.
 *
 * @param name a short name for thread names and log lines ({@code sim-<name>-...})
 * @param socketPath where the dom0 side listens, like {@code path=} of an xl.cfg channel
 * @param deviceLink an optional symlink to the guest's pseudo-terminal, like {@code
 *     /dev/xen-channel/<name>}; re-pointed after a reboot
 * @param bandwidthBytesPerSecond a limit per direction, 0 for none
 */
public record ChannelConfig(String name, Path socketPath, Optional<Path> deviceLink, long bandwidthBytesPerSecond) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** sun_path holds 108 bytes including the terminating NUL (unix(7)). */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException with a message naming the field, value and limit
     */
    public ChannelConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(socketPath, "socketPath");
        Objects.requireNonNull(deviceLink, "deviceLink");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "channel name '" + name + "' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        int pathBytes = socketPath.toString().getBytes(StandardCharsets.UTF_8).length;
        if (pathBytes > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException("socket path " + socketPath + " is " + pathBytes
                    + " bytes long, exceeds the Unix socket limit of " + MAX_SOCKET_PATH_BYTES + " bytes");
        }
        if (bandwidthBytesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "bandwidth " + bandwidthBytesPerSecond + " bytes/s is negative (0 means unlimited)");
        }
    }

    /** A channel with no device link and no bandwidth limit. */
    public static ChannelConfig of(String name, Path socketPath) {
        return new ChannelConfig(name, socketPath, Optional.empty(), 0);
    }

    public ChannelConfig withDeviceLink(Path link) {
        return new ChannelConfig(name, socketPath, Optional.of(link), bandwidthBytesPerSecond);
    }

    public ChannelConfig withBandwidth(long bytesPerSecond) {
        return new ChannelConfig(name, socketPath, deviceLink, bytesPerSecond);
    }
}
