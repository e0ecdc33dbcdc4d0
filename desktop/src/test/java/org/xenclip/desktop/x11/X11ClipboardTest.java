package org.xenclip.desktop.x11;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

class X11ClipboardTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static XvfbServer xvfb;
    private static X11Clipboard clipboard;
    private XClip user;

    @BeforeAll
    static void open() throws ClipboardException {
        xvfb = XvfbServer.shared();
        clipboard = X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD);
    }

    @AfterAll
    static void close() {
        clipboard.close();
    }

    @BeforeEach
    void user() {
        user = new XClip(xvfb);
    }

    @AfterEach
    void closeUser() {
        user.close();
    }

    @Test
    void usesXFixes() {
        assertThat(clipboard.name()).isEqualTo("x11-xfixes");
    }

    @Test
    void readsWhatXclipSet() throws ClipboardException {
        user.set(Selection.CLIPBOARD, "hello 世界 🎉 שלום\nline two");
        assertThat(clipboard.read(T)).contains(new ClipboardContent("hello 世界 🎉 שלום\nline two", false));
    }

    @Test
    void writesWhatXclipReads() throws ClipboardException {
        clipboard.write("from java ✓", T);
        assertThat(user.get(Selection.CLIPBOARD)).contains("from java ✓");
    }

    @Test
    void seesTextReplacingText() throws ClipboardException {
        AtomicInteger events = new AtomicInteger();
        clipboard.watch(events::incrementAndGet);
        user.set(Selection.CLIPBOARD, "first");
        Await.until("event for first", T, () -> events.get() > 0);
        int before = events.get();
        user.set(Selection.CLIPBOARD, "second");
        Await.until("event for second", T, () -> events.get() > before);
        assertThat(clipboard.read(T).map(ClipboardContent::text)).isEqualTo(Optional.of("second"));
    }
}
