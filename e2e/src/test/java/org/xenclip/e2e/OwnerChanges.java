package org.xenclip.e2e;

import java.util.ArrayList;
import java.util.List;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.x11.X11Clipboard;

/**
 * When one display's CLIPBOARD changed owner, from XFixes events: the benchmark's clock. It costs nothing
 * between events, unlike asking the server who owns the selection every fraction of a millisecond, which took
 * CPU from the apps being measured (on 2 cores, it slowed a 1 MiB transfer by a third). Each time is taken
 * when the event reaches this JVM, the same path for the copy and the paste, so the delays cancel out.
 */
final class OwnerChanges implements AutoCloseable {

    private final X11Clipboard clipboard;
    private final List<Long> times = new ArrayList<>();

    OwnerChanges(String display) {
        try {
            clipboard = X11Clipboard.open(display, Selection.CLIPBOARD);
        } catch (ClipboardException e) {
            throw new IllegalStateException("cannot watch the clipboard of " + display + ": " + e.getMessage(), e);
        }
        clipboard.watch(() -> {
            long now = System.nanoTime();
            synchronized (times) {
                times.add(now);
            }
        });
    }

    /** The {@link System#nanoTime} of the first owner change at or after {@code since}, or 0 if none yet. */
    long firstSince(long since) {
        synchronized (times) {
            for (long t : times) {
                if (t - since >= 0) {
                    return t;
                }
            }
            return 0;
        }
    }

    @Override
    public void close() {
        clipboard.close();
    }
}
