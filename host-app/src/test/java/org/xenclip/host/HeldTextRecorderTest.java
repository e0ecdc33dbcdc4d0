package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.hub.TextHash;
import org.xenclip.host.settings.HeldTexts;
import org.xenclip.host.testing.Await;
import org.xenclip.protocol.ClipboardText;

class HeldTextRecorderTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static ClipboardText t(String s) {
        return ClipboardText.of(s);
    }

    @Test
    void recordsLandInTheOrderAskedAndOnDisk() {
        HeldTexts held = HeldTexts.open(dir);
        try (HeldTextRecorder recorder = new HeldTextRecorder(held)) {
            for (int i = 0; i < 50; i++) {
                recorder.recordLater("vm1", t("copy " + i));
            }
            recorder.recordLater("vm2", t("the marker, recorded last"));
            Await.until("the last record", T, () -> held.get("vm2").isPresent());
            assertThat(held.get("vm1")).contains(TextHash.of(t("copy 49")));
            // read back from the file, as the next run of the app would
            assertThat(HeldTexts.open(dir).get("vm1")).contains(TextHash.of(t("copy 49")));
        }
    }

    @Test
    void recordsAskedForBeforeTheCloseAreWrittenAndLaterOnesIgnored() throws Exception {
        HeldTexts held = HeldTexts.open(dir);
        HeldTextRecorder recorder = new HeldTextRecorder(held);
        recorder.recordLater("vm1", t("asked for before the close"));
        recorder.close();
        recorder.recordLater("vm1", t("too late")); // no exception: the app is closing
        Await.until("the record asked for before the close", T, () -> held.get("vm1")
                .isPresent());
        assertThat(held.get("vm1")).contains(TextHash.of(t("asked for before the close")));
    }
}
