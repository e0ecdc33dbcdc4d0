package org.xenclip.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Feeds arbitrary bytes and ticks to both session roles (see {@link FuzzHarness} for the input format).
 *
 * <p>A normal {@code ./mvnw verify} replays the seed corpus in {@code SessionFuzzTestInputs/} (regression
 * mode). The {@code fuzz} Maven profile, on in CI, fuzzes for 20 s. A long run, for example an hour:
 * {@code scripts/fuzz-protocol.sh 3600}. Crashing inputs land in the inputs directory and become regression
 * seeds once committed.
 */
class SessionFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void sessionsSurviveArbitraryInput(byte[] input) {
        FuzzHarness.run(input);
    }
}
