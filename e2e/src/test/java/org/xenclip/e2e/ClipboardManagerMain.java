package org.xenclip.e2e;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardBackends;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.Selection;

/**
 * A clipboard manager as a separate X client (run in its own JVM on the display named by {@code DISPLAY}):
 * whenever CLIPBOARD changes it takes the text over and serves it itself, and when the owner goes away it
 * puts the last text back, as Klipper does with "prevent empty clipboard". Prints {@code ready} once it
 * watches and {@code takeover N} after each takeover; never the text.
 */
public final class ClipboardManagerMain {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A read that returns our own text right after an event may be AWT answering from its stale copy. */
    private static final long RECHECK_MILLIS = 200;

    private ClipboardManagerMain() {}

    public static void main(String[] args) throws Exception {
        LinkedBlockingQueue<Boolean> events = new LinkedBlockingQueue<>();
        try (ClipboardBackend clipboard =
                ClipboardBackends.open(ClipboardBackends.Choice.X11, Selection.CLIPBOARD, System.getenv())) {
            clipboard.watch(() -> events.offer(Boolean.TRUE));
            System.out.println("ready");
            System.out.flush();
            String last = null;
            long takeovers = 0;
            while (true) {
                events.take();
                events.clear();
                Optional<String> now = read(clipboard);
                if (now.isPresent() && now.get().equals(last)) {
                    // maybe our own write, maybe a stale answer: look once more a moment later
                    if (events.poll(RECHECK_MILLIS, TimeUnit.MILLISECONDS) != null) {
                        events.clear();
                    }
                    now = read(clipboard);
                }
                if (now.isEmpty() || now.get().isEmpty()) {
                    if (last != null) {
                        clipboard.write(last, TIMEOUT); // prevent an empty clipboard
                        takeovers++;
                        System.out.println("takeover " + takeovers);
                        System.out.flush();
                    }
                } else if (!now.get().equals(last)) {
                    last = now.get();
                    clipboard.write(last, TIMEOUT);
                    takeovers++;
                    System.out.println("takeover " + takeovers);
                    System.out.flush();
                }
            }
        }
    }

    private static Optional<String> read(ClipboardBackend clipboard) {
        try {
            return clipboard.read(TIMEOUT).map(ClipboardContent::text);
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
