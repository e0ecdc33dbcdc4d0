package org.xenclip.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClipboardExchangeTest {

    private static final SessionConfig LEGACY = SessionConfig.defaults().withExtendedClipboard(false);

    @Test
    void legacySessionsCarryLatin1TextBothWays() {
        SessionPair pair = new SessionPair(LEGACY).startServer().startClient();
        pair.establish(3_000);

        pair.fromServer(pair.server.sendText(ClipboardText.of("héllo\nworld"), pair.now));
        pair.fromClient(pair.client.sendText(ClipboardText.of("from guest"), pair.now));
        pair.deliver();

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("héllo\nworld"));
        assertThat(SessionPair.texts(pair.serverEvents)).containsExactly(ClipboardText.of("from guest"));
        assertThat(pair.server.isExtendedClipboard()).isFalse();
        assertThat(pair.client.isExtendedClipboard()).isFalse();
    }

    @Test
    void legacyTextReplacesEachCharacterOutsideLatin1WithAQuestionMark() {
        SessionPair pair = new SessionPair(LEGACY).startServer().startClient();
        pair.establish(3_000);

        pair.fromServer(pair.server.sendText(ClipboardText.of("5 € 😀 日本"), pair.now));
        pair.deliver();

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("5 ? ? ??"));
    }

    @Test
    void extendedSessionsCarryUnicodeTextBothWays() {
        SessionPair pair = new SessionPair().startServer().startClient();
        pair.establish(3_000);

        pair.fromServer(pair.server.sendText(ClipboardText.of("日本 € 😀\nline"), pair.now));
        pair.fromClient(pair.client.sendText(ClipboardText.of("guest ünïcödé\n"), pair.now));
        pair.deliver();

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("日本 € 😀\nline"));
        assertThat(SessionPair.texts(pair.serverEvents)).containsExactly(ClipboardText.of("guest ünïcödé\n"));
    }

    @Test
    void textSentBeforeEstablishmentIsQueuedAndOnlyTheLatestIsSent() {
        SessionPair pair = new SessionPair(LEGACY).startServer().startClient();
        pair.fromServer(pair.server.sendText(ClipboardText.of("old"), pair.now));
        pair.fromServer(pair.server.sendText(ClipboardText.of("new"), pair.now));

        pair.establish(3_000);
        pair.deliver();

        assertThat(SessionPair.texts(pair.clientEvents)).containsExactly(ClipboardText.of("new"));
    }
}
