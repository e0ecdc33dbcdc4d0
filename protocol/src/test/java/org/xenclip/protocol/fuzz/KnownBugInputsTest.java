package org.xenclip.protocol.fuzz;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzz inputs that still crash a session, kept out of the seed corpus so that the build stays green until
 * the fix lands. When it does: remove {@code @Disabled}, see this pass, then move the files back into
 * {@code SessionFuzzTestInputs/sessionsSurviveArbitraryInput/} and delete this class.
 */
class KnownBugInputsTest {

    /**
     * Cut text holding "a\r\r\nb" (a lone CR before a CRLF line end), legacy or extended, to either role:
     * ClipboardText.of turns "\r\r\n" into "\r\n", the ClipboardText constructor then rejects that CRLF, and
     * onBytes throws IllegalArgumentException out of the owner's I/O loop.
     */
    @Disabled("known bug: ClipboardText.of(\"\\r\\r\\n\") throws, so a peer's cut text holding a CR before a CRLF"
            + " makes onBytes throw IllegalArgumentException (see the protocol-tests report)")
    @ParameterizedTest
    @ValueSource(
            strings = {
                "client-legacy-cr-before-crlf",
                "server-legacy-cr-before-crlf",
                "client-ext-provide-cr-before-crlf",
                "server-ext-provide-cr-before-crlf"
            })
    void crBeforeCrLfInCutTextIsNoCrash(String name) throws IOException {
        try (InputStream in = KnownBugInputsTest.class.getResourceAsStream("known-bugs/" + name)) {
            if (in == null) {
                throw new AssertionError("missing known-bugs/" + name);
            }
            FuzzHarness.run(in.readAllBytes());
        }
    }
}
