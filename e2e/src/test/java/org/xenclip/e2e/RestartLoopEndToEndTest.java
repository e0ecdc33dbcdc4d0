package org.xenclip.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.XClip;

/**
 * Restarts in every order, at random moments including mid-transfer, round after round: a copy on a random
 * side, then after a random delay one fault (kill -9 of the agent or of the host app, a VM reboot, the dom0
 * connection dropped); the killed app is started again. After each round both clipboards must agree within
 * 5 s, a fresh copy must cross, the apps not killed must still run, and neither clipboard may ever show a
 * text that was not copied whole (both are watched all the time).
 *
 * <p>{@code -De2e.rounds=N} sets the number of rounds (100 in {@code ./mvnw verify}, 500 in the long run),
 * {@code -De2e.seed=S} replays a run. Every failed round is recorded and the test fails at the end with all
 * of them, so one bug does not hide the next.
 */
class RestartLoopEndToEndTest {

    enum Fault {
        KILL_GUEST,
        KILL_HOST,
        REBOOT,
        DROP
    }

    /** Sizes of the copies: small, one ring, several rings, and a transfer long enough to be cut. */
    private static final int[] SIZES = {64, 3000, 65536, 262144};
    /** The fault comes 0 to this many ms after the copy started: before, during or after the transfer. */
    private static final int MAX_DELAY_MILLIS = 400;

    private Rig rig;
    private ClipboardWatch dom0Watch;
    private ClipboardWatch guestWatch;

    @BeforeEach
    void start() {
        rig = Rig.create("restart-loop");
        rig.hostSettings("rate-limit-count=100000");
        dom0Watch = new ClipboardWatch("dom0", rig.dom0User);
        guestWatch = new ClipboardWatch("guest", rig.guestUser);
        rig.startBoth("both");
    }

    @AfterEach
    void stop() {
        if (dom0Watch != null) {
            dom0Watch.close();
            guestWatch.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void clipboardsConvergeAfterEveryFault() {
        int rounds = Integer.getInteger("e2e.rounds", 100);
        long seed = Long.getLong("e2e.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        Map<Fault, Integer> counts = new EnumMap<>(Fault.class);
        long started = System.nanoTime();
        long slowestConvergence = 0;
        for (int round = 1; round <= rounds; round++) {
            Fault fault = Fault.values()[random.nextInt(Fault.values().length)];
            counts.merge(fault, 1, Integer::sum);
            boolean onDom0 = random.nextBoolean();
            String text = Texts.random(seed * 1000 + round, SIZES[random.nextInt(SIZES.length)]);
            int delay = random.nextInt(MAX_DELAY_MILLIS + 1);
            String what = "round " + round + " (seed " + seed + "): copy of " + Texts.describe(text) + " on "
                    + (onDom0 ? "dom0" : "the guest") + ", " + fault + " after " + delay + " ms";
            Phases phases = new Phases();
            try {
                dom0Watch.allow(text);
                guestWatch.allow(text);
                XClip user = onDom0 ? rig.dom0User : rig.guestUser;
                user.setNoWait(Selection.CLIPBOARD, text);
                phases.mark("copy");
                // the fault's moment is the point of the round: a chosen delay, not a wait for anything
                LockSupport.parkNanos(Duration.ofMillis(delay).toNanos());
                phases.mark("delay");
                AppProcess hostBefore = rig.host();
                AppProcess guestBefore = rig.guest();
                int hostMark = hostBefore.logMark();
                int guestMark = guestBefore.logMark();
                inject(fault, random);
                phases.mark("fault");
                long recovered = System.nanoTime();
                awaitConverged(fault);
                phases.mark("converge");
                slowestConvergence = Math.max(slowestConvergence, System.nanoTime() - recovered);
                // The probe is made once the new session's start-up exchange is over. A copy racing that exchange
                // can lose to dom0's text sent again at the link, by two known limits (docs/status.md): after a
                // kill of the agent (its selection died with it, and both sides changed while apart), and when
                // dom0 could not know the agent had read its text before the link broke and the agent does not
                // see the crossing (round 188 of seed 36414775613000). What the loop checks is convergence after
                // every fault and a working link after it.
                rig.awaitLinkSettled(
                        rig.host() == hostBefore ? hostMark : 0, rig.guest() == guestBefore ? guestMark : 0);
                phases.mark("settle");
                probe(round, random.nextBoolean());
                phases.mark("probe");
                assertAlive(what);
                phases.mark("alive");
            } catch (AssertionError | RuntimeException e) {
                phases.mark("failed");
                failures.add(what + ": " + e.getMessage());
                recover();
                phases.mark("recover");
            }
            System.out.println("restart loop: " + what + ": " + phases);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        String summary = rounds + " rounds in " + seconds + " s, faults " + counts + ", slowest convergence "
                + slowestConvergence / 1_000_000 + " ms, watch samples dom0 " + dom0Watch.samples() + " guest "
                + guestWatch.samples() + ", seed " + seed;
        System.out.println("restart loop: " + summary);
        assertThat(failures).as("failed rounds; " + summary).isEmpty();
        assertThat(dom0Watch.unexpected())
                .as("values seen on dom0 that were never copied whole")
                .isEmpty();
        assertThat(guestWatch.unexpected())
                .as("values seen in the guest that were never copied whole")
                .isEmpty();
    }

    /** Where a round's time goes, for the loop's output (docs/testing.md gives the measured split). */
    private static final class Phases {
        private final StringBuilder out = new StringBuilder();
        private final long start = System.nanoTime();
        private long last = start;

        void mark(String phase) {
            long now = System.nanoTime();
            out.append(phase).append(' ').append((now - last) / 1_000_000).append(" ms, ");
            last = now;
        }

        @Override
        public String toString() {
            return out + "total " + (last - start) / 1_000_000 + " ms";
        }
    }

    private void inject(Fault fault, Random random) {
        switch (fault) {
            case KILL_GUEST -> {
                rig.guest().kill9();
                assertThat(rig.host().isAlive())
                        .as("host alive after the agent was killed")
                        .isTrue();
                rig.startGuest();
            }
            case KILL_HOST -> {
                rig.host().kill9();
                assertThat(rig.guest().isAlive())
                        .as("agent alive after the host app was killed")
                        .isTrue();
                rig.startHost("both");
            }
            case REBOOT -> {
                try {
                    rig.channel.reboot(Duration.ofMillis(random.nextInt(500)));
                } catch (IOException e) {
                    throw new UncheckedIOException("reboot of the simulated VM failed", e);
                }
            }
            case DROP -> rig.channel.dropClient();
        }
    }

    /**
     * Both clipboards hold the same text within the 5 s. One exception, by the sync rules: when the
     * killed app owned its side's selection, that side is left empty (X selections die with their owner), and
     * an empty clipboard is never sent nor overwritten from the other side's old text.
     */
    private void awaitConverged(Fault fault) {
        long deadline = System.nanoTime() + Rig.CONVERGE.toNanos();
        Optional<String> dom0 = Optional.empty();
        Optional<String> guest = Optional.empty();
        while (System.nanoTime() < deadline) {
            dom0 = rig.dom0Clipboard();
            guest = rig.guestClipboard();
            if (dom0.isPresent() && !dom0.get().isEmpty() && dom0.equals(guest)) {
                return;
            }
            boolean dom0Empty = dom0.isEmpty() || dom0.get().isEmpty();
            boolean guestEmpty = guest.isEmpty() || guest.get().isEmpty();
            if ((fault == Fault.KILL_HOST && dom0Empty && !guestEmpty)
                    || (fault == Fault.KILL_GUEST && guestEmpty && !dom0Empty)) {
                return;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        throw new AssertionError("not converged within " + Rig.CONVERGE.toMillis() + " ms: dom0 holds "
                + Texts.describe(dom0.orElse(null)) + ", the guest " + Texts.describe(guest.orElse(null))
                + rig.diagnostics());
    }

    /** After the fault the link works: a fresh copy crosses within 5 s. */
    private void probe(int round, boolean fromDom0) {
        String probe = "probe " + round + " " + System.nanoTime();
        dom0Watch.allow(probe);
        guestWatch.allow(probe);
        (fromDom0 ? rig.dom0User : rig.guestUser).set(Selection.CLIPBOARD, probe);
        rig.awaitClipboard(fromDom0 ? "guest" : "dom0", probe, Rig.CONVERGE);
    }

    private void assertAlive(String what) {
        assertThat(rig.host().isAlive())
                .as("host app alive after " + what + rig.diagnostics())
                .isTrue();
        assertThat(rig.guest().isAlive())
                .as("guest agent alive after " + what + rig.diagnostics())
                .isTrue();
    }

    /**
     * After a failed round both apps start afresh (an app may be alive but stuck), so that each round's
     * result is its own and one bug does not fail every round after it.
     */
    private void recover() {
        if (rig.guest().isAlive()) {
            rig.guest().kill9();
        }
        if (rig.host().isAlive()) {
            rig.host().kill9();
        }
        rig.startGuest();
        rig.startHost("both");
        rig.awaitConnected(0, Rig.HANG);
    }
}
