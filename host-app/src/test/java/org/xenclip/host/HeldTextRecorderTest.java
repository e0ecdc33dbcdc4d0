package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.hub.TextHash;
import org.xenclip.host.settings.HeldTexts;
import org.xenclip.protocol.ClipboardText;

class HeldTextRecorderTest {

    @TempDir
    Path dir;

    private static ClipboardText t(String s) {
        return ClipboardText.of(s);
    }

    @Test
    void aTakeIsOnDiskWhenItsActionReturnsAndWinsOverEarlierRecords() {
        HeldTexts held = HeldTexts.open(dir);
        try (HeldTextRecorder recorder = new HeldTextRecorder(held)) {
            recorder.recordLater("vm1", t("the VM's own copy"));
            Runnable take = recorder.prepare("vm1", t("dom0's copy"));
            recorder.recordLater("vm2", t("another VM's copy"));
            take.run();
            // read back from the file, as the next run of the app would
            assertThat(HeldTexts.open(dir).get("vm1")).contains(TextHash.of(t("dom0's copy")));
        }
    }

    @Test
    void laterRecordsLandInTheOrderAsked() throws Exception {
        HeldTexts held = HeldTexts.open(dir);
        try (HeldTextRecorder recorder = new HeldTextRecorder(held)) {
            for (int i = 0; i < 50; i++) {
                recorder.recordLater("vm1", t("copy " + i));
            }
            recorder.prepare("vm9", t("a marker")).run(); // returns after everything asked for before it
            assertThat(held.get("vm1")).contains(TextHash.of(t("copy 49")));
        }
    }

    @Test
    void afterCloseNothingIsRecordedAndNothingThrows() {
        HeldTexts held = HeldTexts.open(dir);
        HeldTextRecorder recorder = new HeldTextRecorder(held);
        Runnable take = recorder.prepare("vm1", t("offered before the close"));
        recorder.close();
        recorder.recordLater("vm1", t("too late"));
        take.run();
        recorder.prepare("vm1", t("also too late")).run();
        assertThat(held.get("vm1")).isEmpty();
    }
}
