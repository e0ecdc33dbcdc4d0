package org.xenclip.host.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.hub.TextHash;
import org.xenclip.protocol.ClipboardText;

class HeldTextsTest {

    @TempDir
    Path dir;

    @Test
    void keepsHashesAcrossARestartAndNeverTheText() throws IOException {
        String hash = TextHash.of(new ClipboardText("the user's secret plan"));
        HeldTexts.open(dir).put("vm=with:odd name", hash);

        assertThat(HeldTexts.open(dir).get("vm=with:odd name")).contains(hash);
        assertThat(HeldTexts.open(dir).get("other")).isEmpty();
        assertThat(Files.readString(dir.resolve(HeldTexts.FILE_NAME), StandardCharsets.UTF_8))
                .doesNotContain("secret plan");
    }

    @Test
    void aBrokenFileMeansNothingIsKnownAndIsReplacedOnTheNextPut() throws IOException {
        Files.writeString(dir.resolve(HeldTexts.FILE_NAME), "vm1=not a hash\nvm2=\\u00zz\n");
        HeldTexts held = HeldTexts.open(dir);
        assertThat(held.get("vm1")).isEmpty();
        assertThat(held.get("vm2")).isEmpty();

        String hash = TextHash.of(new ClipboardText("x"));
        held.put("vm1", hash);
        assertThat(HeldTexts.open(dir).get("vm1")).contains(hash);
    }

    @Test
    void refusesWhatIsNotAHash() {
        assertThatThrownBy(() -> HeldTexts.open(dir).put("vm1", "plain text"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hash plain text is not a SHA-256 in hex");
    }
}
