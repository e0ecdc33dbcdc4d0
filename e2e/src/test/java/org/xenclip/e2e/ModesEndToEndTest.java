package org.xenclip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;

/**
 * Per-VM modes and the global pause through the real apps. The host app has no runtime control without its
 * UI (no CLI command, no IPC, no watch of the settings file), so each case starts the host the way a user of
 * {@code --no-ui} can: with {@code --vm vm1=PATH,mode=MODE}, and for the pause with {@code paused=true} in the
 * settings file. The guest agent keeps running across host restarts.
 */
class ModesEndToEndTest {

    /** How long "nothing crosses" is observed after the side that should not send had its chance. */
    private static final Duration WINDOW = Duration.ofSeconds(2);

    private static Rig rig;

    @BeforeAll
    static void start() {
        rig = Rig.create("modes");
        rig.startGuest();
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @AfterEach
    void stopHost() {
        assertThat(rig.guest().isAlive())
                .as("guest agent alive" + rig.diagnostics())
                .isTrue();
        if (rig.host() != null && rig.host().isAlive()) {
            rig.host().stop();
        }
    }

    private static void startHost(String mode, boolean paused) {
        rig.hostSettings("paused=" + paused, "rate-limit-count=1000");
        int guestMark = rig.guest().logMark();
        // what the agent may offer the new session: the previous case's guest copy
        Optional<String> guestText = rig.guestClipboard();
        rig.startHost(mode);
        if (!mode.equals("off")) {
            rig.awaitConnected(0, Rig.HANG);
            Await.until("the agent connected" + rig.diagnostics(), Rig.HANG, () -> rig.guest()
                    .logSince(guestMark)
                    .contains("connected to dom0"));
            // a copy made before the session's start-up exchange is over can be overwritten by it
            boolean accepts = !paused && (mode.equals("both") || mode.equals("from-guest"));
            rig.awaitStartupExchange(guestMark, guestText, accepts);
        }
    }

    /** What the observation saw, for the failure message: wire bytes since the start and both clipboards. */
    private static String state(long toGuest, long toDom0) {
        return "bytes to the guest since " + (rig.channel.stats().bytesToGuest() - toGuest) + ", to dom0 since "
                + (rig.channel.stats().bytesToDom0() - toDom0) + ", dom0 holds "
                + Texts.describe(rig.dom0Clipboard().orElse(null)) + ", the guest "
                + Texts.describe(rig.guestClipboard().orElse(null)) + rig.diagnostics();
    }

    @Test
    void offConnectsToNothingAndNothingCrosses() {
        long accepted = rig.channel.stats().clientsAccepted();
        startHost("off", false);
        String guestBefore = rig.guestClipboard().orElse("");
        String onDom0 = "dom0 copy while off " + System.nanoTime();
        rig.dom0User.set(Selection.CLIPBOARD, onDom0);
        String inGuest = "guest copy while off " + System.nanoTime();
        int guestMark = rig.guest().logMark();
        rig.guestUser.set(Selection.CLIPBOARD, inGuest);
        Await.until("the agent saw the guest copy" + rig.diagnostics(), Rig.HANG, () -> rig.guest()
                .logSince(guestMark)
                .contains("clipboard change of"));
        Quiet.holdsFor(
                "mode off: no connection, dom0 keeps its own text",
                WINDOW,
                () -> rig.channel.stats().clientsAccepted() == accepted
                        && rig.dom0Clipboard().equals(Optional.of(onDom0)));
        assertThat(guestBefore.equals(onDom0))
                .as("the guest held dom0's copy before it was made")
                .isFalse();
        rig.assertHolds("guest", inGuest);
    }

    @Test
    void toGuestOnlyCarriesDom0Copies() {
        startHost("to-guest", false);
        String onDom0 = "to-guest: dom0 copy " + System.nanoTime();
        rig.dom0User.set(Selection.CLIPBOARD, onDom0);
        rig.awaitClipboard("guest", onDom0, Rig.HANG);

        String inGuest = Texts.random(System.nanoTime(), 8192);
        long toGuest = rig.channel.stats().bytesToGuest();
        long toDom0 = rig.channel.stats().bytesToDom0();
        rig.guestUser.set(Selection.CLIPBOARD, inGuest);
        // the agent offers it (a small notify crosses); the host, not accepting, never asks for the text
        Await.until(
                "the agent's offer reached dom0",
                Rig.HANG,
                () -> rig.channel.stats().bytesToDom0() > toDom0);
        Quiet.holdsFor(
                "to-guest: the guest's text does not cross",
                WINDOW,
                () -> rig.channel.stats().bytesToDom0() - toDom0 < 1024
                        && rig.dom0Clipboard().equals(Optional.of(onDom0)),
                () -> state(toGuest, toDom0));
    }

    @Test
    void fromGuestOnlyCarriesGuestCopies() {
        startHost("from-guest", false);
        String inGuest = "from-guest: guest copy " + System.nanoTime();
        rig.guestUser.set(Selection.CLIPBOARD, inGuest);
        rig.awaitClipboard("dom0", inGuest, Rig.HANG);

        String onDom0 = Texts.random(System.nanoTime(), 8192);
        long toGuest = rig.channel.stats().bytesToGuest();
        rig.dom0User.set(Selection.CLIPBOARD, onDom0);
        Quiet.holdsFor(
                "from-guest: dom0's text does not cross",
                WINDOW,
                () -> rig.channel.stats().bytesToGuest() - toGuest < 1024
                        && rig.guestClipboard().equals(Optional.of(inGuest)),
                () -> state(toGuest, rig.channel.stats().bytesToDom0()));
        // and the guest still reaches dom0 afterwards
        String again = "from-guest again " + System.nanoTime();
        rig.guestUser.set(Selection.CLIPBOARD, again);
        rig.awaitClipboard("dom0", again, Rig.HANG);
    }

    @Test
    void bothCarriesBothWays() {
        startHost("both", false);
        String onDom0 = "both: dom0 copy " + System.nanoTime();
        rig.dom0User.set(Selection.CLIPBOARD, onDom0);
        rig.awaitClipboard("guest", onDom0, Rig.HANG);
        String inGuest = "both: guest copy " + System.nanoTime();
        rig.guestUser.set(Selection.CLIPBOARD, inGuest);
        rig.awaitClipboard("dom0", inGuest, Rig.HANG);
    }

    @Test
    void globalPauseStopsBothWaysAndUnpausingResumes() {
        startHost("both", true);
        String onDom0 = Texts.random(System.nanoTime(), 8192);
        String inGuest = Texts.random(System.nanoTime() + 1, 8192);
        long toGuest = rig.channel.stats().bytesToGuest();
        long toDom0 = rig.channel.stats().bytesToDom0();
        rig.dom0User.set(Selection.CLIPBOARD, onDom0);
        rig.guestUser.set(Selection.CLIPBOARD, inGuest);
        Await.until(
                "the agent's offer reached dom0",
                Rig.HANG,
                () -> rig.channel.stats().bytesToDom0() > toDom0);
        Quiet.holdsFor(
                "paused: nothing crosses either way",
                WINDOW,
                () -> rig.channel.stats().bytesToGuest() - toGuest < 1024
                        && rig.channel.stats().bytesToDom0() - toDom0 < 1024
                        && rig.dom0Clipboard().equals(Optional.of(onDom0))
                        && rig.guestClipboard().equals(Optional.of(inGuest)),
                () -> state(toGuest, toDom0));

        rig.host().stop();
        startHost("both", false);
        String resumed = "after the pause " + System.nanoTime();
        rig.dom0User.set(Selection.CLIPBOARD, resumed);
        rig.awaitClipboard("guest", resumed, Rig.HANG);
        String resumedBack = "after the pause, from the guest " + System.nanoTime();
        rig.guestUser.set(Selection.CLIPBOARD, resumedBack);
        rig.awaitClipboard("dom0", resumedBack, Rig.HANG);
    }
}
