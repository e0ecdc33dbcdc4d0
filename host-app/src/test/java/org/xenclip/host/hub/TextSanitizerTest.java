package org.xenclip.host.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextSanitizerTest {

    @Test
    void keepsTabNewlineAndOrdinaryUnicode() {
        String s = "a\tb\nc € 日本 😀 \u200f";
        assertThat(TextSanitizer.sanitize(s)).isEqualTo(new TextSanitizer.Result(s, 0));
    }

    @Test
    void stripsC0ExceptTabAndNewlineAndDelAndC1() {
        assertThat(TextSanitizer.sanitize("\u0000a\u0001\u001b[31mb\rc\u007fd\u0085e\u009bf"))
                .isEqualTo(new TextSanitizer.Result("a[31mbcdef", 7));
    }

    @Test
    void stripsBidiEmbeddingsOverridesAndIsolates() {
        String trojan = "x\u202a\u202b\u202c\u202d\u202ey\u2066\u2067\u2068\u2069z";
        assertThat(TextSanitizer.sanitize(trojan)).isEqualTo(new TextSanitizer.Result("xyz", 9));
    }

    @Test
    void returnsSameInstanceWhenNothingToStrip() {
        String s = "plain";
        assertThat(TextSanitizer.sanitize(s).text()).isSameAs(s);
    }
}
