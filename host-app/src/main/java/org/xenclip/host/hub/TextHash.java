package org.xenclip.host.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.xenclip.protocol.ClipboardText;

/**
 * The SHA-256 of a clipboard text's UTF-8 bytes, in hex: how dom0 remembers what a VM holds across its own
 * restarts without keeping the text (clipboard content is never written to disk or logs).
 */
public final class TextHash {

    private TextHash() {}

    public static String of(ClipboardText text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(text.text().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
