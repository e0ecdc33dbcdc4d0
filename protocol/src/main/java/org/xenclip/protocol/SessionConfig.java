package org.xenclip.protocol;

import java.time.Duration;

/**
 * The profile's named limits and timeouts (protocol.md section 5), configurable per session.
 *
 * @param maxPayloadBytes largest clipboard payload accepted or sent, in encoded bytes (rule 4; default
 *     1 MiB). Inflated extended payloads are capped at the same number.
 * @param maxStringBytes largest reason or desktop-name string (rule 4; default 4 KiB)
 * @param speakFirstAfter how long the client waits for a server version before sending its own (rule 2)
 * @param handshakeTimeout a handshake that makes no progress this long starts over (rule 3)
 * @param stallTimeout a message whose bytes stop arriving this long is dropped (rule 8)
 * @param extendedClipboard whether this side offers or asks for the Extended Clipboard (section 4)
 * @param desktopName the name the server sends in ServerInit
 */
public record SessionConfig(
        long maxPayloadBytes,
        int maxStringBytes,
        Duration speakFirstAfter,
        Duration handshakeTimeout,
        Duration stallTimeout,
        boolean extendedClipboard,
        String desktopName) {

    /** protocol.md 5.4: clipboard payload cap, 1 MiB by default. */
    public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1L << 20;
    /** protocol.md 5.4: reason and name strings, 4 KiB. */
    public static final int DEFAULT_MAX_STRING_BYTES = 4096;
    /** protocol.md 5.2: the guest speaks first after about 2 s of silence. */
    public static final Duration DEFAULT_SPEAK_FIRST_AFTER = Duration.ofSeconds(2);
    /** protocol.md 5.3: a stuck handshake starts over after about 5 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** protocol.md 5.8: a message stalled for about 2 s is dropped. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(2);

    public SessionConfig {
        if (maxPayloadBytes < 0 || maxPayloadBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException(
                    "maxPayloadBytes " + maxPayloadBytes + " outside 0.." + (Integer.MAX_VALUE - 64));
        }
        if (maxStringBytes < 0) {
            throw new IllegalArgumentException("maxStringBytes " + maxStringBytes + " is negative");
        }
        requirePositive("speakFirstAfter", speakFirstAfter);
        requirePositive("handshakeTimeout", handshakeTimeout);
        requirePositive("stallTimeout", stallTimeout);
        if (desktopName == null) {
            desktopName = "";
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " " + d + " is not a positive duration");
        }
    }

    public static SessionConfig defaults() {
        return new SessionConfig(
                DEFAULT_MAX_PAYLOAD_BYTES,
                DEFAULT_MAX_STRING_BYTES,
                DEFAULT_SPEAK_FIRST_AFTER,
                DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_STALL_TIMEOUT,
                true,
                "xen-clipboard");
    }

    public SessionConfig withMaxPayloadBytes(long bytes) {
        return new SessionConfig(
                bytes, maxStringBytes, speakFirstAfter, handshakeTimeout, stallTimeout, extendedClipboard, desktopName);
    }

    public SessionConfig withExtendedClipboard(boolean enabled) {
        return new SessionConfig(
                maxPayloadBytes, maxStringBytes, speakFirstAfter, handshakeTimeout, stallTimeout, enabled, desktopName);
    }

    public SessionConfig withDesktopName(String name) {
        return new SessionConfig(
                maxPayloadBytes,
                maxStringBytes,
                speakFirstAfter,
                handshakeTimeout,
                stallTimeout,
                extendedClipboard,
                name);
    }
}
