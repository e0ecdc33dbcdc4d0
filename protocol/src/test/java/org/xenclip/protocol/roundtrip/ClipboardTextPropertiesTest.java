package org.xenclip.protocol.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xenclip.protocol.ClipboardText;

/** Profile rule 5 at the edges where text enters and leaves the program: any raw text, CR/LF mixes included. */
class ClipboardTextPropertiesTest {

    @Property(tries = 500)
    void desktopTextIsKeptExactly(@ForAll("rawTexts") String raw) {
        assertThat(ClipboardText.of(raw).text()).isEqualTo(raw);
    }

    @Property(tries = 500)
    void extendedWireConversionIsLosslessForAnyText(@ForAll("rawTexts") String raw) {
        ClipboardText text = ClipboardText.of(raw);

        assertThat(ClipboardText.fromCrlfWire(text.toCrlfWire())).isEqualTo(text);
    }

    /** Only CR, LF and one letter: every short mix of line ends, which a general text rarely hits. */
    @Property(tries = 1000)
    void everyCrLfMixSurvivesTheExtendedWire(@ForAll("crLfMixes") String raw) {
        ClipboardText text = ClipboardText.of(raw);
        String wire = text.toCrlfWire();

        assertThat(wire.replace("\r\n", ""))
                .as("no bare LF on the extended wire")
                .doesNotContain("\n");
        assertThat(ClipboardText.fromCrlfWire(wire)).isEqualTo(text);
    }

    @Property(tries = 500)
    void utf8SizeIsTheEncodedLength(@ForAll("rawTexts") String raw) {
        ClipboardText text = TextModel.desktopText(raw);

        assertThat(text.utf8Size()).isEqualTo(text.text().getBytes(StandardCharsets.UTF_8).length);
    }

    /** A lone CR right before a line end: the fuzzer's first finding, once a crash. */
    @Example
    void crBeforeLineEndSurvivesBothWays() {
        assertThat(ClipboardText.of("a\r\nb").toCrlfWire()).isEqualTo("a\r\r\nb");
        assertThat(ClipboardText.fromCrlfWire("a\r\r\nb").text()).isEqualTo("a\r\nb");
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
