package org.xenclip.host.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xenclip.host.settings.Settings;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.protocol.ClipboardText;

class ClipboardHubTest {

    private static ClipboardText t(String s) {
        return new ClipboardText(s);
    }

    private static ClipboardHub hubWith(Settings s, Object... vmAndMode) {
        ClipboardHub hub = new ClipboardHub(s);
        for (int i = 0; i < vmAndMode.length; i += 2) {
            hub.addVm((String) vmAndMode[i], (SyncMode) vmAndMode[i + 1]);
            hub.vmLinked((String) vmAndMode[i]);
        }
        return hub;
    }

    private static List<HubAction> sends(List<HubAction> actions) {
        return actions.stream().filter(a -> a instanceof HubAction.SendToVm).toList();
    }

    @Test
    void dom0CopyGoesToEveryLinkedVmWhoseModeIncludesToGuest() {
        ClipboardHub hub = hubWith(
                Settings.defaults(),
                "both",
                SyncMode.BOTH,
                "to",
                SyncMode.TO_GUEST,
                "from",
                SyncMode.FROM_GUEST,
                "off",
                SyncMode.OFF);
        List<HubAction> out = hub.localChanged(t("hello"), false);
        assertThat(out)
                .containsExactly(new HubAction.SendToVm("both", t("hello")), new HubAction.SendToVm("to", t("hello")));
    }

    @Test
    void dom0CopyIsNotSentToUnlinkedVm() {
        ClipboardHub hub = new ClipboardHub(Settings.defaults());
        hub.addVm("a", SyncMode.BOTH);
        assertThat(sends(hub.localChanged(t("x"), false))).isEmpty();
    }

    @Test
    void vmTextGoesToDom0OnlyWhenModeIncludesFromGuest() {
        ClipboardHub hub = hubWith(Settings.defaults(), "both", SyncMode.BOTH, "to", SyncMode.TO_GUEST);
        assertThat(hub.vmText("to", t("nope"), 0)).isEmpty();
        assertThat(hub.vmText("both", t("yes"), 0)).containsExactly(new HubAction.WriteLocal(t("yes"), "both"));
    }

    @Test
    void vmTextIsNotRelayedToOtherVmsByDefault() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH, "b", SyncMode.BOTH);
        List<HubAction> out = hub.vmText("a", t("from a"), 0);
        assertThat(sends(out)).isEmpty();
        // ...and the dom0 clipboard echoing it back does not send it either
        assertThat(hub.localChanged(t("from a"), false)).isEmpty();
    }

    @Test
    void vmTextIsRelayedToOtherVmsButNeverBackToOriginWhenSharing() {
        ClipboardHub hub = hubWith(
                Settings.defaults().withShareBetweenVms(true),
                "a",
                SyncMode.BOTH,
                "b",
                SyncMode.BOTH,
                "c",
                SyncMode.FROM_GUEST);
        List<HubAction> out = hub.vmText("a", t("from a"), 0);
        assertThat(out)
                .containsExactly(new HubAction.WriteLocal(t("from a"), "a"), new HubAction.SendToVm("b", t("from a")));
        assertThat(hub.localChanged(t("from a"), false)).isEmpty();
    }

    @Test
    void ignoresEchoOfTextJustSentToVm() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        hub.localChanged(t("mine"), false);
        assertThat(hub.vmText("a", t("mine"), 0)).isEmpty();
    }

    @Test
    void doesNotResendValueLastExchangedButResendsAfterVmChanged() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        assertThat(sends(hub.localChanged(t("one"), false))).hasSize(1);
        hub.vmTookText("a");
        hub.vmText("a", t("two"), 0); // dom0 clipboard now "two"
        // dom0 user copies "one" again: the VM holds "two", so it goes
        assertThat(sends(hub.localChanged(t("one"), false))).containsExactly(new HubAction.SendToVm("a", t("one")));
    }

    @Test
    void pauseStopsBothDirectionsAndCopiesMadeDuringPauseStayOnDom0() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        assertThat(hub.setPaused(true)).containsExactly(new HubAction.AcceptIncoming("a", false));
        assertThat(hub.localChanged(t("secret plan"), false)).isEmpty();
        assertThat(hub.vmText("a", t("x"), 0)).isEmpty();
        assertThat(hub.setPaused(false)).containsExactly(new HubAction.AcceptIncoming("a", true));
        hub.vmUnlinked("a");
        assertThat(sends(hub.vmLinked("a"))).isEmpty();
    }

    @Test
    void linkingPushesDom0TextWhenModeAllows() {
        ClipboardHub hub = new ClipboardHub(Settings.defaults());
        hub.addVm("a", SyncMode.TO_GUEST);
        hub.addVm("b", SyncMode.FROM_GUEST);
        hub.localChanged(t("current"), false);
        assertThat(sends(hub.vmLinked("a"))).containsExactly(new HubAction.SendToVm("a", t("current")));
        assertThat(sends(hub.vmLinked("b"))).isEmpty();
    }

    @Test
    void linkingDoesNotPushAVmsTextBackToIt() {
        ClipboardHub hub = hubWith(Settings.defaults().withShareBetweenVms(true), "a", SyncMode.BOTH);
        hub.vmText("a", t("from a"), 0);
        hub.vmUnlinked("a");
        assertThat(sends(hub.vmLinked("a"))).isEmpty();
    }

    @Test
    void aVmTextThatCrossedDom0sTextLosesAndTheNextOneIsTaken() {
        ClipboardHub hub = new ClipboardHub(Settings.defaults());
        hub.addVm("a", SyncMode.BOTH);
        hub.localChanged(t("dom0 copy"), false);
        assertThat(sends(hub.vmLinked("a"))).containsExactly(new HubAction.SendToVm("a", t("dom0 copy")));
        // the agent offered what it holds before it saw dom0's text: it applies dom0's, dom0 keeps its own
        assertThat(hub.vmText("a", t("guest copy"), 0)).containsExactly(new HubAction.CrossedTextLost("a", 10));
        hub.vmTookText("a");
        // a copy made after the agent saw dom0's text is taken
        assertThat(hub.vmText("a", t("guest later"), 0))
                .containsExactly(new HubAction.WriteLocal(t("guest later"), "a"));
    }

    @Test
    void crossingAppliesToEveryDom0CopyNotOnlyOnLink() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        hub.localChanged(t("dom0 copy"), false);
        assertThat(hub.vmText("a", t("guest copy at the same moment"), 0))
                .containsExactly(new HubAction.CrossedTextLost("a", 29));
    }

    @Test
    void aTextTheSessionSawCrossOursLosesEvenWhenTheVmAskedForOursBeforeItArrived() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        hub.localChanged(t("dom0 copy"), false);
        // the agent announced its copy, then asked for ours, then sent its copy: the session flags it
        hub.vmTookText("a");
        assertThat(hub.vmText("a", t("guest copy"), true, 0)).containsExactly(new HubAction.CrossedTextLost("a", 10));
    }

    @Test
    void anAgentThatNeverAsksStopsLosingAfterTheCrossingLimit() {
        AtomicLong clock = new AtomicLong(1000);
        ClipboardHub hub = new ClipboardHub(Settings.defaults(), clock::get, (vm, text) -> {});
        hub.addVm("a", SyncMode.BOTH);
        hub.vmLinked("a");
        hub.localChanged(t("dom0 copy"), false);
        clock.addAndGet(ClipboardHub.CROSSING_LIMIT.toMillis());
        assertThat(hub.vmText("a", t("guest copy"), 0)).containsExactly(new HubAction.WriteLocal(t("guest copy"), "a"));
    }

    @Test
    void aVmOfferIsTakenWhenDom0SentNothingOnTheLink() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        hub.vmText("a", t("from a"), 0);
        hub.vmUnlinked("a");
        // dom0 holds the VM's own text: nothing to push, so the agent's offer of a newer copy wins
        assertThat(sends(hub.vmLinked("a"))).isEmpty();
        assertThat(hub.vmText("a", t("copied while apart"), 20))
                .containsExactly(new HubAction.WriteLocal(t("copied while apart"), "a"));
    }

    @Test
    void aTextTheVmReadIsNotSentAgainOnReconnectButOneItNeverAskedForOrNeverReadIs() {
        List<String> held = new ArrayList<>();
        ClipboardHub hub =
                new ClipboardHub(Settings.defaults(), () -> 0, (vm, text) -> held.add(vm + " " + TextHash.of(text)));
        hub.addVm("a", SyncMode.BOTH);
        hub.vmLinked("a");
        hub.localChanged(t("asked for"), false);
        hub.vmTookText("a");
        hub.vmGotText("a");
        assertThat(held).containsExactly("a " + TextHash.of(t("asked for")));
        hub.vmUnlinked("a");
        assertThat(sends(hub.vmLinked("a"))).as("the VM has it").isEmpty();

        hub.localChanged(t("cut off"), false);
        hub.vmTookText("a"); // asked for, but the link broke before the agent had read it
        hub.vmUnlinked("a");
        assertThat(sends(hub.vmLinked("a"))).containsExactly(new HubAction.SendToVm("a", t("cut off")));
        hub.vmTookText("a");
        hub.vmGotText("a");

        hub.localChanged(t("lost in the channel"), false);
        hub.vmUnlinked("a");
        assertThat(sends(hub.vmLinked("a"))).containsExactly(new HubAction.SendToVm("a", t("lost in the channel")));
    }

    @Test
    void aRestartedHubDoesNotPushWhatTheVmWasLastKnownToHold() {
        ClipboardHub hub = new ClipboardHub(Settings.defaults());
        hub.addVm("a", SyncMode.BOTH);
        hub.addVm("b", SyncMode.BOTH);
        hub.remember("a", TextHash.of(t("dom0 text")));
        hub.remember("b", TextHash.of(t("something older")));
        hub.localChanged(t("dom0 text"), false);
        assertThat(sends(hub.vmLinked("a"))).isEmpty();
        assertThat(sends(hub.vmLinked("b"))).containsExactly(new HubAction.SendToVm("b", t("dom0 text")));
        // the same when dom0's clipboard is read only after the VM linked
        ClipboardHub late = new ClipboardHub(Settings.defaults());
        late.addVm("a", SyncMode.BOTH);
        late.remember("a", TextHash.of(t("dom0 text")));
        late.vmLinked("a");
        assertThat(sends(late.localChanged(t("dom0 text"), false))).isEmpty();
        // so a copy the user made in the VM while dom0's app was down wins, not the older dom0 text
        assertThat(hub.vmText("a", t("copied in a meanwhile"), 0))
                .containsExactly(new HubAction.WriteLocal(t("copied in a meanwhile"), "a"));
    }

    @Test
    void secretDom0CopyStaysOnDom0() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        assertThat(hub.localChanged(t("hunter2"), true)).isEmpty();
    }

    @Test
    void oversizeDom0CopyIsReportedNotSent() {
        ClipboardHub hub = hubWith(Settings.defaults().withMaxTextBytes(4), "a", SyncMode.BOTH);
        List<HubAction> out = hub.localChanged(t("12345"), false);
        assertThat(sends(out)).isEmpty();
        assertThat(out).singleElement().isInstanceOfSatisfying(HubAction.Notify.class, n -> {
            assertThat(n.notification().kind()).isEqualTo(HostNotification.Kind.OVERSIZE);
            assertThat(n.notification().message())
                    .isEqualTo("dom0 clipboard text of 5 bytes exceeds the limit of 4 bytes; not sent to any VM");
        });
    }

    @Test
    void oversizeVmTextIsReportedNotWritten() {
        ClipboardHub hub = hubWith(Settings.defaults().withMaxTextBytes(4), "a", SyncMode.BOTH);
        List<HubAction> out = hub.vmText("a", t("€€"), 0); // 6 UTF-8 bytes
        assertThat(out).singleElement().isInstanceOfSatisfying(HubAction.Notify.class, n -> assertThat(
                        n.notification().message())
                .isEqualTo("text of 6 bytes from a exceeds the limit of 4 bytes; dropped"));
    }

    @Test
    void sanitisesVmTextWhenOn() {
        ClipboardHub hub = hubWith(Settings.defaults().withSanitize(true), "a", SyncMode.BOTH);
        assertThat(hub.vmText("a", t("rm\u202e -rf\u0007\ttab\n"), 0))
                .containsExactly(new HubAction.WriteLocal(t("rm -rf\ttab\n"), "a"));
    }

    @Test
    void keepsVmTextAsIsWhenSanitisingIsOff() {
        ClipboardHub hub = hubWith(Settings.defaults().withSanitize(false), "a", SyncMode.BOTH);
        assertThat(hub.vmText("a", t("a\u202eb"), 0)).containsExactly(new HubAction.WriteLocal(t("a\u202eb"), "a"));
    }

    @Test
    void rateLimitPausesVmSaysWhyAndResumesAfterPause() {
        ClipboardHub hub = hubWith(
                Settings.defaults().withRateLimit(3, Duration.ofSeconds(1)), "a", SyncMode.BOTH, "b", SyncMode.BOTH);
        for (int i = 0; i < 3; i++) {
            assertThat(hub.vmText("a", t("n" + i), i * 10L)).hasSize(1);
        }
        List<HubAction> out = hub.vmText("a", t("n3"), 40);
        String reason = "paused for 30 s: the VM changed its clipboard more than 3 times in 1.0 s, faster than a"
                + " person copies";
        assertThat(out)
                .containsExactly(
                        new HubAction.PauseChanged("a", Optional.of(reason)),
                        new HubAction.AcceptIncoming("a", false),
                        new HubAction.Notify(new HostNotification(HostNotification.Kind.RATE_LIMITED, "a", reason)));
        assertThat(hub.pausedReason("a")).contains(reason);
        assertThat(hub.vmText("a", t("n4"), 50)).isEmpty();
        // the other VM is unaffected
        assertThat(hub.vmText("b", t("fine"), 50)).containsExactly(new HubAction.WriteLocal(t("fine"), "b"));
        assertThat(hub.nextDeadlineMillis()).isEqualTo(40 + 30_000);
        assertThat(hub.tick(40 + 29_999)).isEmpty();
        assertThat(hub.tick(40 + 30_000))
                .containsExactly(
                        new HubAction.PauseChanged("a", Optional.empty()), new HubAction.AcceptIncoming("a", true));
        assertThat(hub.vmText("a", t("again"), 40 + 30_001)).hasSize(1);
    }

    @Test
    void changingModeEndsRatePauseAndPushesWhenToGuestOpens() {
        ClipboardHub hub =
                hubWith(Settings.defaults().withRateLimit(1, Duration.ofSeconds(10)), "a", SyncMode.FROM_GUEST);
        hub.vmText("a", t("1"), 0);
        hub.vmText("a", t("2"), 1);
        assertThat(hub.pausedReason("a")).isPresent();
        hub.localChanged(t("dom0 text"), false);
        List<HubAction> out = hub.setMode("a", SyncMode.BOTH);
        assertThat(out)
                .containsExactly(
                        new HubAction.PauseChanged("a", Optional.empty()),
                        new HubAction.AcceptIncoming("a", true),
                        new HubAction.SendToVm("a", t("dom0 text")));
        assertThat(hub.pausedReason("a")).isEmpty();
    }

    @Test
    void switchingOffClosesIncoming() {
        ClipboardHub hub = hubWith(Settings.defaults(), "a", SyncMode.BOTH);
        assertThat(hub.setMode("a", SyncMode.OFF)).containsExactly(new HubAction.AcceptIncoming("a", false));
        assertThat(hub.vmText("a", t("x"), 0)).isEmpty();
        assertThat(sends(hub.localChanged(t("y"), false))).isEmpty();
    }
}
