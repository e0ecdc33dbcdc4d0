package org.xenclip.desktop.x11;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

/**
 * Another program taking the selection right after our write: the read made on its owner-change event
 * must return that program's text, never ours. (The AWT backend before the Xlib one answered such reads
 * from its copy of our text in 26 of 60 rounds until it learnt to ask the server who owns the selection;
 * the selection loop asks the server before every read.)
 */
class X11StaleReadIT {

    /** A bound for hangs, not a speed check: the shared build machine can be very loaded. */
    private static final Duration T = Duration.ofSeconds(60);

    /** Enough rounds for a race that loses only some of the time to show up. */
    private static final int ROUNDS = 60;

    @Test
    void readOnTheOwnerChangeEventNeverReturnsOurStaleText() throws Exception {
        XvfbServer xvfb = XvfbServer.shared();
        BlockingQueue<String> reads = new LinkedBlockingQueue<>();
        try (X11Clipboard clipboard = X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD);
                XClip user = new XClip(xvfb)) {
            user.set(Selection.CLIPBOARD, "start");
            // read on the event thread, as the apps do: that is where the race is
            clipboard.watch(() -> {
                try {
                    reads.add(clipboard.read(T).map(ClipboardContent::text).orElse("<empty>"));
                } catch (ClipboardException e) {
                    reads.add("<" + e.getMessage() + ">");
                }
            });
            // Every round's reads are recorded and checked together at the end, so one lost round does not hide
            // the next.
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                String ours = "ours " + i;
                String theirs = "theirs " + i;
                reads.clear();
                clipboard.write(ours, T);
                String own = clipboard.read(T).map(ClipboardContent::text).orElse("<empty>");
                user.setNoWait(Selection.CLIPBOARD, theirs);
                String read = next(reads);
                if (!own.equals(ours) || !read.equals(theirs)) {
                    wrong.add("round " + i + ": after our write read " + own + ", after xclip's " + read);
                }
            }
            assertThat(wrong)
                    .as("rounds (of %d) with a read that missed the current owner's text", ROUNDS)
                    .isEmpty();
            // leave a plain owner behind, as the other tests expect, and check a later read still sees it
            user.set(Selection.CLIPBOARD, "done");
            assertThat(clipboard.read(T).map(ClipboardContent::text)).contains("done");
        }
    }

    private static String next(BlockingQueue<String> reads) throws InterruptedException {
        return Optional.ofNullable(reads.poll(T.toMillis(), TimeUnit.MILLISECONDS))
                .orElseThrow(() -> new AssertionError("no owner-change event within " + T));
    }
}
