package org.xenclip.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardBackends;
import org.xenclip.desktop.Selection;

/**
 * A user's application that copies one text and keeps serving it (run in its own JVM on the display named by
 * {@code DISPLAY}): the copier for large texts. xsel serves an INCR transfer in 4000-byte chunks, 262 round
 * trips for 1 MiB, each a wake-up of the reading app's toolkit thread; on a loaded machine that outlasts the
 * apps' read timeouts, while a toolkit (GTK and Qt, and the desktop module's X11 backend used here) sends about
 * 256 KiB per chunk. Reads the
 * text from the file named by its argument, prints {@code owned} once it owns CLIPBOARD, and runs until killed;
 * never prints the text.
 */
public final class CopyMain {

    private CopyMain() {}

    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        ClipboardBackend clipboard =
                ClipboardBackends.open(ClipboardBackends.Choice.X11, Selection.CLIPBOARD, System.getenv());
        clipboard.write(text, Duration.ofSeconds(30));
        System.out.println("owned");
        System.out.flush();
        // the backend's clipboard thread serves the text; this one only keeps the JVM alive until the test kills it
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
