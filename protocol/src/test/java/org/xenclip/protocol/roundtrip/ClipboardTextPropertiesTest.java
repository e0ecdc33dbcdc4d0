package org.xenclip.protocol.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xenclip.protocol.ClipboardText;

/** Profile rule 5 at the edge where text enters the program: any raw text, CR/LF mixes included. */
class ClipboardTextPropertiesTest {

    @Property(tries = 500)
    void ofAcceptsAnyRawTextAndLeavesNoCrLf(@ForAll("rawTexts") String raw) {
        ClipboardText text = ClipboardText.of(raw);

        assertThat(text.text()).doesNotContain("\r\n");
        assertThat(ClipboardText.of(text.text())).isEqualTo(text);
    }

    /** Only CR, LF and one letter: every short mix of line ends, which a general text rarely hits. */
    @Property(tries = 500)
    void ofAcceptsAnyCrLfMix(@ForAll("crLfMixes") String raw) {
        ClipboardText text = ClipboardText.of(raw);

        assertThat(text.text()).doesNotContain("\r\n");
        assertThat(text.text().replace("\r", "").replace("\n", ""))
                .as("content other than line ends is kept")
                .isEqualTo(raw.replace("\r", "").replace("\n", ""));
    }

    @Property(tries = 500)
    void utf8SizeIsTheEncodedLength(@ForAll("rawTexts") String raw) {
        ClipboardText text = TextModel.lfOnly(raw);

        assertThat(text.utf8Size()).isEqualTo(text.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    /** A lone CR right before a CRLF line end: "\r\r\n" must normalise to something without CRLF. */
    @Example
    void ofNormalisesCrBeforeCrLf() {
        assertThat(ClipboardText.of("a\r\r\nb").text()).doesNotContain("\r\n");
    }

    @Provide
    Arbitrary<String> crLfMixes() {
        return Arbitraries.strings().withChars('\r', '\n', 'a').ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> rawTexts() {
        return TextModel.rawTexts(300);
    }
}
