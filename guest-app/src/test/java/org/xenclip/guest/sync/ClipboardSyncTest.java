package org.xenclip.guest.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.guest.sync.ClipboardSync.Apply;
import org.xenclip.guest.sync.ClipboardSync.Config;
import org.xenclip.guest.sync.ClipboardSync.Hold;
import org.xenclip.guest.sync.ClipboardSync.HoldReason;
import org.xenclip.guest.sync.ClipboardSync.Ignore;
import org.xenclip.guest.sync.ClipboardSync.IgnoreReason;
import org.xenclip.guest.sync.ClipboardSync.Send;
import org.xenclip.protocol.ClipboardText;

class ClipboardSyncTest {

    private static ClipboardSync sync(Config config, String baseline) {
        return new ClipboardSync(config, baseline == null ? null : t(baseline));
    }

    private static ClipboardSync connected() {
        ClipboardSync sync = sync(Config.defaults(), null);
        assertThat(sync.established()).isEqualTo(new Hold(HoldReason.NO_LOCAL_CHANGE, 0));
        return sync;
    }

    private static ClipboardText t(String text) {
        return ClipboardText.of(text);
    }

    @Test
    void sendsALocalChange() {
        ClipboardSync sync = connected();
        assertThat(sync.localChanged(t("hello"), false)).isEqualTo(new Send(t("hello")));
    }

    @Test
    void ignoresEchoOfTextJustReceived() {
        ClipboardSync sync = connected();
        assertThat(sync.received(t("from dom0"))).isEqualTo(new Apply(t("from dom0")));
        // our own write of it comes back as a local change
        assertThat(sync.localChanged(t("from dom0"), false)).isEqualTo(new Hold(HoldReason.ECHO, 9));
    }

    @Test
    void doesNotResendTheLastValueSent() {
        ClipboardSync sync = connected();
        assertThat(sync.localChanged(t("a"), false)).isInstanceOf(Send.class);
        assertThat(sync.localChanged(t("a"), false)).isEqualTo(new Hold(HoldReason.UNCHANGED, 1));
    }

    @Test
    void sendsAUserCopyEqualToAnOlderReceivedText() {
        ClipboardSync sync = connected();
        sync.received(t("A"));
        assertThat(sync.localChanged(t("B"), false)).isEqualTo(new Send(t("B")));
        // "A" is no longer the text just received: copying it again is a real change
        assertThat(sync.localChanged(t("A"), false)).isEqualTo(new Send(t("A")));
    }

    @Test
    void aGuestCopyCrossedByDom0sPushOfTheTextItReplacedIsOfferedAgain() {
        ClipboardSync sync = connected();
        assertThat(sync.received(t("dom0's"))).isEqualTo(new Apply(t("dom0's")));
        sync.disconnected();
        assertThat(sync.localChanged(t("user's copy"), false)).isEqualTo(new Hold(HoldReason.DISCONNECTED, 11));
        assertThat(sync.established()).isEqualTo(new Send(t("user's copy")));
        // dom0 did not know we hold its text and pushed it as we offered the copy: the copy is newer
        assertThat(sync.received(t("dom0's"), true)).isEqualTo(new ClipboardSync.Reoffer(t("user's copy")));
    }

    @Test
    void aCrossedDom0TextTheGuestNeverHeldStillWins() {
        ClipboardSync sync = connected();
        sync.received(t("older"));
        assertThat(sync.localChanged(t("user's copy"), false)).isEqualTo(new Send(t("user's copy")));
        assertThat(sync.received(t("dom0's new copy"), true)).isEqualTo(new Apply(t("dom0's new copy")));
        // not crossed: applied as always, whatever it is
        assertThat(sync.localChanged(t("next"), false)).isEqualTo(new Send(t("next")));
        assertThat(sync.received(t("dom0's new copy"), false)).isEqualTo(new Apply(t("dom0's new copy")));
    }

    @Test
    void keepsCrLfFromTheDesktopAsContent() {
        ClipboardSync sync = connected();
        sync.received(t("a\nb"));
        // A Linux desktop's line end is LF: a CRLF there is what the user copied, not an echo of "a\nb"
        assertThat(sync.localChanged(new ClipboardContent("a\r\nb", false))).isEqualTo(new Send(t("a\r\nb")));
        assertThat(sync.localChanged(new ClipboardContent("a\r\nb", false)))
                .isEqualTo(new Hold(HoldReason.UNCHANGED, 4));
    }

    @Test
    void holdsOversizeTextWholeWithItsSize() {
        ClipboardSync sync = sync(Config.defaults().withMaxBytes(8), null);
        sync.established();
        assertThat(sync.localChanged(t("12345678"), false)).isEqualTo(new Send(t("12345678")));
        // 4 characters, 9 UTF-8 bytes: the cap counts bytes
        assertThat(sync.localChanged(t("世界世x"), false)).isEqualTo(new Hold(HoldReason.OVERSIZE, 10));
        assertThat(sync.localChanged(t("é".repeat(5)), false)).isEqualTo(new Hold(HoldReason.OVERSIZE, 10));
    }

    @Test
    void ignoresOversizeReceivedText() {
        ClipboardSync sync = sync(Config.defaults().withMaxBytes(4), null);
        sync.established();
        assertThat(sync.received(t("12345"))).isEqualTo(new Ignore(IgnoreReason.OVERSIZE, 5));
        assertThat(sync.received(t("1234"))).isEqualTo(new Apply(t("1234")));
    }

    @Test
    void defaultCapIsOneMebibyteInclusive() {
        ClipboardSync sync = connected();
        String mib = "x".repeat(1 << 20);
        assertThat(sync.localChanged(t(mib), false)).isEqualTo(new Send(t(mib)));
        assertThat(sync.localChanged(t(mib + "y"), false)).isEqualTo(new Hold(HoldReason.OVERSIZE, (1 << 20) + 1));
    }

    @Test
    void holdsSecretsUnlessConfigured() {
        ClipboardSync strict = connected();
        assertThat(strict.localChanged(t("hunter2"), true)).isEqualTo(new Hold(HoldReason.SECRET, 7));
        ClipboardSync lax = sync(Config.defaults().withSendSecrets(true), null);
        lax.established();
        assertThat(lax.localChanged(t("hunter2"), true)).isEqualTo(new Send(t("hunter2")));
    }

    @Test
    void doesNotPropagateAnEmptyClipboard() {
        ClipboardSync sync = connected();
        sync.localChanged(t("x"), false);
        assertThat(sync.localChanged(t(""), false)).isEqualTo(new Hold(HoldReason.EMPTY, 0));
        assertThat(sync.received(t(""))).isEqualTo(new Ignore(IgnoreReason.EMPTY, 0));
    }

    @Test
    void receivedTextAlreadyLocalIsNotWrittenButStillSuppressesTheEcho() {
        ClipboardSync sync = connected();
        sync.localChanged(t("same"), true); // held as secret, so not exchanged
        assertThat(sync.received(t("same"))).isEqualTo(new Ignore(IgnoreReason.ALREADY_LOCAL, 4));
        assertThat(sync.localChanged(t("same"), false)).isEqualTo(new Hold(HoldReason.ECHO, 4));
    }

    @Test
    void theStartupClipboardIsNotPushed() {
        ClipboardSync sync = sync(Config.defaults(), "was there at start");
        assertThat(sync.established()).isEqualTo(new Hold(HoldReason.NO_LOCAL_CHANGE, 18));
        // a spurious event for the same text is not a user's copy either
        assertThat(sync.localChanged(t("was there at start"), false)).isEqualTo(new Hold(HoldReason.UNCHANGED, 18));
        assertThat(sync.localChanged(t("new"), false)).isEqualTo(new Send(t("new")));
    }

    @Test
    void remembersChangesWhileApartAndSendsTheLatestOnReconnect() {
        ClipboardSync sync = connected();
        sync.localChanged(t("before"), false);
        sync.disconnected();
        assertThat(sync.localChanged(t("one"), false)).isEqualTo(new Hold(HoldReason.DISCONNECTED, 3));
        assertThat(sync.localChanged(t("two"), false)).isEqualTo(new Hold(HoldReason.DISCONNECTED, 3));
        assertThat(sync.established()).isEqualTo(new Send(t("two")));
    }

    @Test
    void offersTheTextItSentAgainOnReconnectSinceItMayHaveDiedInTheChannel() {
        ClipboardSync sync = connected();
        sync.localChanged(t("sent"), false);
        sync.disconnected();
        // a repeated event for the same text while apart does not cancel the offer
        assertThat(sync.localChanged(t("sent"), false)).isEqualTo(new Hold(HoldReason.DISCONNECTED, 4));
        assertThat(sync.established()).isEqualTo(new Send(t("sent")));
        // once offered on this connection, it is not offered twice
        assertThat(sync.localChanged(t("sent"), false)).isEqualTo(new Hold(HoldReason.UNCHANGED, 4));
    }

    @Test
    void sendsNothingOnReconnectWhenItHoldsThePeersText() {
        ClipboardSync sync = connected();
        assertThat(sync.received(t("from dom0"))).isEqualTo(new Apply(t("from dom0")));
        sync.disconnected();
        assertThat(sync.established()).isEqualTo(new Hold(HoldReason.NO_LOCAL_CHANGE, 9));
    }

    @Test
    void theStartContentReportedAsAChangeIsOfferedOnTheFirstEstablishment() {
        ClipboardSync sync = sync(Config.defaults(), null);
        assertThat(sync.localChanged(t("copied before the agent ran"), false))
                .isEqualTo(new Hold(HoldReason.DISCONNECTED, 27));
        assertThat(sync.established()).isEqualTo(new Send(t("copied before the agent ran")));
    }

    @Test
    void sendsNothingOnReconnectWhenTheChangeWentBackToTheExchangedText() {
        ClipboardSync sync = connected();
        sync.received(t("shared"));
        sync.disconnected();
        sync.localChanged(t("other"), false);
        sync.localChanged(t("shared"), false);
        assertThat(sync.established()).isEqualTo(new Hold(HoldReason.NO_LOCAL_CHANGE, 6));
    }

    @Test
    void holdsASecretOnReconnectToo() {
        ClipboardSync sync = connected();
        sync.disconnected();
        sync.localChanged(t("pw"), true);
        assertThat(sync.established()).isEqualTo(new Hold(HoldReason.SECRET, 2));
    }

    @Test
    void dom0sTextWinsWhenBothChangedWhileApart() {
        ClipboardSync guest = connected();
        guest.received(t("common"));
        guest.disconnected();
        guest.localChanged(t("guest copy"), false);
        assertThat(guest.established()).isEqualTo(new Send(t("guest copy")));
        // dom0 drops the crossed offer and pushes its own copy: the agent applies it
        assertThat(guest.received(t("dom0 copy"), true)).isEqualTo(new Apply(t("dom0 copy")));
        // and does not send its own write of it back: both hold dom0's text, quietly
        assertThat(guest.localChanged(t("dom0 copy"), false)).isEqualTo(new Hold(HoldReason.ECHO, 9));
    }

    @Test
    void theGuestDoesNotArbitrate() {
        ClipboardSync guest = connected();
        guest.disconnected();
        guest.localChanged(t("guest copy"), false);
        assertThat(guest.established()).isInstanceOf(Send.class);
        assertThat(guest.received(t("dom0 copy"))).isEqualTo(new Apply(t("dom0 copy")));
    }

    @Test
    void rejectsBadConfig() {
        assertThatThrownBy(() -> new Config(0, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes 0 must be positive");
    }

    @Test
    void decisionsNeverPrintTheText() {
        assertThat(new Send(t("top secret")).toString()).doesNotContain("top secret");
        assertThat(new Apply(t("top secret")).toString()).doesNotContain("top secret");
        assertThat(new ClipboardContent("top secret", true).toString())
                .isEqualTo("ClipboardContent[10 chars, hash " + Integer.toHexString("top secret".hashCode())
                        + ", secret]");
    }
}
