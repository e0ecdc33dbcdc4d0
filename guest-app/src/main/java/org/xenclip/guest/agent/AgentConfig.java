package org.xenclip.guest.agent;

import java.time.Duration;
import org.xenclip.guest.sync.ClipboardSync;
import org.xenclip.protocol.SessionConfig;

/**
 * What the agent is told at start.
 *
 * @param maxBytes largest clipboard text sent or accepted, in UTF-8 bytes (protocol.md 5.4)
 * @param sendSecrets whether text a password manager marked secret is sent (off: issue 6)
 * @param clipboardTimeout how long a desktop clipboard write may take, and how long a read may wait for the owner (X11: per
 *     answer and per INCR chunk) before it is abandoned
 */
public record AgentConfig(long maxBytes, boolean sendSecrets, Duration clipboardTimeout) {

    /** An X selection transfer of 1 MiB from a slow owner can take seconds; longer means it is stuck. */
    public static final Duration DEFAULT_CLIPBOARD_TIMEOUT = Duration.ofSeconds(5);

    public static AgentConfig defaults() {
        return new AgentConfig(SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES, false, DEFAULT_CLIPBOARD_TIMEOUT);
    }

    public AgentConfig withMaxBytes(long bytes) {
        return new AgentConfig(bytes, sendSecrets, clipboardTimeout);
    }

    SessionConfig sessionConfig() {
        return SessionConfig.defaults().withMaxPayloadBytes(maxBytes);
    }

    ClipboardSync.Config syncConfig() {
        return ClipboardSync.Config.defaults().withMaxBytes(maxBytes).withSendSecrets(sendSecrets);
    }
}
