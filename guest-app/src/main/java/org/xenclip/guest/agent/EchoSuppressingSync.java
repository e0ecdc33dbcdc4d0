package org.xenclip.guest.agent;

import java.util.Optional;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.protocol.ClipboardText;

/**
 * The guest's sync rules (protocol.md 5.6 and issue 6): a change equal to the text just received is never
 * sent back, a text equal to the last one sent is not sent again, text over the cap is not sent (never
 * truncated), text a password manager marked secret is not sent unless configured. After a reconnect the
 * guest offers its clipboard only if it changed since the last exchange, so an unchanged guest never
 * overwrites what dom0 copied meanwhile.
 */
final class EchoSuppressingSync implements Sync {

    private static final Logger LOG = Logger.getLogger(EchoSuppressingSync.class.getName());

    private final AgentConfig config;
    private ClipboardText lastReceived;
    private ClipboardText lastSent;
    private ClipboardText latestLocal;

    EchoSuppressingSync(AgentConfig config) {
        this.config = config;
    }

    @Override
    public void onBaseline(ClipboardContent content) {
        if (latestLocal == null) {
            latestLocal = ClipboardText.of(content.text());
            lastSent = latestLocal;
        }
    }

    @Override
    public Optional<ClipboardText> onLocal(ClipboardContent content) {
        ClipboardText text = ClipboardText.of(content.text());
        if (content.secret() && !config.sendSecrets()) {
            LOG.info(() ->
                    "clipboard change not sent: marked secret by a password manager (" + text.utf8Size() + " bytes)");
            return Optional.empty();
        }
        latestLocal = text;
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.equals(lastReceived)) {
            LOG.fine(() -> "clipboard change is the text just received from dom0: not sent back");
            return Optional.empty();
        }
        if (text.equals(lastSent)) {
            LOG.fine(() -> "clipboard change equals the text last sent: not sent again");
            return Optional.empty();
        }
        long size = text.utf8Size();
        if (size > config.maxBytes()) {
            LOG.warning(() -> "clipboard text of " + size + " bytes not sent: over the limit of " + config.maxBytes()
                    + " bytes (--max-bytes)");
            return Optional.empty();
        }
        lastSent = text;
        return Optional.of(text);
    }

    @Override
    public Optional<ClipboardText> onRemote(ClipboardText text) {
        lastReceived = text;
        if (text.equals(latestLocal)) {
            return Optional.empty();
        }
        latestLocal = text;
        return Optional.of(text);
    }

    @Override
    public Optional<ClipboardText> onConnected() {
        if (latestLocal == null
                || latestLocal.isEmpty()
                || latestLocal.equals(lastSent)
                || latestLocal.equals(lastReceived)
                || latestLocal.utf8Size() > config.maxBytes()) {
            return Optional.empty();
        }
        lastSent = latestLocal;
        return Optional.of(latestLocal);
    }
}
