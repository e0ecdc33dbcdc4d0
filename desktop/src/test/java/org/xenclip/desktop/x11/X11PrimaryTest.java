package org.xenclip.desktop.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

class X11PrimaryTest {

    /** A bound for hangs, not a speed check: the shared build machine can be very loaded. */
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void primaryIsWatchedReadAndWrittenApartFromClipboard() throws ClipboardException {
        XvfbServer xvfb = XvfbServer.shared();
        try (X11Clipboard primary = X11Clipboard.open(xvfb.display(), Selection.PRIMARY);
                XClip user = new XClip(xvfb)) {
            AtomicInteger events = new AtomicInteger();
            primary.watch(events::incrementAndGet);
            user.set(Selection.CLIPBOARD, "in clipboard");
            user.set(Selection.PRIMARY, "selected");
            Await.until("PRIMARY event", T, () -> events.get() > 0);
            assertThat(primary.read(T).map(ClipboardContent::text)).contains("selected");
            int before = events.get();
            user.set(Selection.CLIPBOARD, "clipboard again");
            primary.write("primary from java", T);
            assertThat(user.get(Selection.PRIMARY)).contains("primary from java");
            assertThat(user.get(Selection.CLIPBOARD)).contains("clipboard again");
            user.set(Selection.PRIMARY, "selected again");
            Await.until("PRIMARY event for the new selection", T, () -> events.get() > before);
            // in the server's order: neither the CLIPBOARD copy nor our own write raised one before it
            assertThat(events.get()).isEqualTo(before + 1);
        }
    }

    @Test
    void pollingFallbackSeesTextReplacingText() throws ClipboardException {
        XvfbServer xvfb = XvfbServer.shared();
        try (X11Clipboard polled = X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD, true);
                XClip user = new XClip(xvfb)) {
            assertThat(polled.name()).isEqualTo("x11-polling");
            AtomicInteger events = new AtomicInteger();
            polled.watch(events::incrementAndGet);
            user.set(Selection.CLIPBOARD, "polled one");
            Await.until("polled change", T, () -> events.get() > 0);
            int before = events.get();
            user.set(Selection.CLIPBOARD, "polled two");
            Await.until("second polled change", T, () -> events.get() > before);
        }
    }

    @Test
    void pollsWhereTheServerHasNoXFixes() throws ClipboardException {
        try (XvfbServer bare = XvfbServer.start("-extension", "XFIXES");
                X11Clipboard clipboard = X11Clipboard.open(bare.display(), Selection.CLIPBOARD)) {
            assertThat(clipboard.name()).isEqualTo("x11-polling");
        }
        try (X11Clipboard clipboard = X11Clipboard.open(XvfbServer.shared().display(), Selection.CLIPBOARD)) {
            assertThat(clipboard.name()).isEqualTo("x11-xfixes");
        }
    }

    @Test
    void opensADisplayOtherThanTheProcesses() throws ClipboardException {
        try (XvfbServer other = XvfbServer.start();
                X11Clipboard clipboard = X11Clipboard.open(other.display(), Selection.CLIPBOARD);
                XClip user = new XClip(other)) {
            user.set(Selection.CLIPBOARD, "on the other display");
            assertThat(clipboard.read(T).map(ClipboardContent::text)).contains("on the other display");
            clipboard.write("written there", T);
            assertThat(user.get(Selection.CLIPBOARD)).contains("written there");
        }
    }

    @Test
    void refusesADisplayThatIsNotThere() {
        assertThatThrownBy(() -> X11Clipboard.open(":4095", Selection.CLIPBOARD))
                .isInstanceOf(ClipboardException.class)
                .hasMessage("cannot open X display :4095");
    }

    @Test
    void backOffDoublesToTheCapAndResetsOnChange() {
        Duration d = PollingWatcher.MIN_INTERVAL;
        for (int i = 0; i < 10; i++) {
            d = PollingWatcher.next(d, false);
        }
        assertThat(d).isEqualTo(PollingWatcher.MAX_INTERVAL);
        assertThat(PollingWatcher.next(PollingWatcher.MIN_INTERVAL, false)).isEqualTo(Duration.ofMillis(200));
        assertThat(PollingWatcher.next(d, true)).isEqualTo(PollingWatcher.MIN_INTERVAL);
    }
}
