package org.xenclip.desktop.wayland;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import org.xenclip.desktop.testing.Tools;
import org.xenclip.desktop.testing.WaylandCompositor;
import org.xenclip.desktop.testing.WlClip;

/** Under a real compositor with data-control (sway, headless), with wl-copy/wl-paste as the user. */
class WaylandClipboardTest {

    /** A bound for hangs, not a speed check: the shared build machine can be very loaded. */
    private static final Duration T = Duration.ofSeconds(60);

    private static WaylandCompositor sway;
    private WlClip user;

    @BeforeAll
    static void start() {
        sway = WaylandCompositor.sway();
    }

    @AfterAll
    static void stop() {
        sway.close();
    }

    @BeforeEach
    void user() {
        user = new WlClip(sway);
    }

    @AfterEach
    void closeUser() {
        user.close();
    }

    private static WaylandClipboard open(Selection selection) {
        Path wlPaste = Tools.require("wl-paste", "wl-clipboard");
        Path wlCopy = Tools.require("wl-copy", "wl-clipboard");
        return WaylandClipboard.open(sway.environment(), selection, wlPaste, wlCopy);
    }

    @Test
    void registryProbeSeesDataControl() {
        assertThat(sway.globals()).containsKey("zwlr_data_control_manager_v1").containsKey("wl_seat");
    }

    @Test
    void readsWhatWlCopySetAndWritesWhatWlPasteReads() throws ClipboardException {
        try (WaylandClipboard clipboard = open(Selection.CLIPBOARD)) {
            user.set(Selection.CLIPBOARD, "wayland 世界 🎉 שלום\nline two\n");
            assertThat(clipboard.read(T)).contains(new ClipboardContent("wayland 世界 🎉 שלום\nline two\n", false));
            clipboard.write("from java ✓\n2", T);
            assertThat(user.get(Selection.CLIPBOARD)).contains("from java ✓\n2");
        }
    }

    @Test
    void oneMebibyteBothWays() throws ClipboardException {
        String big = "ab世🎉\n".repeat((1 << 20) / 10) + "x".repeat((1 << 20) % 10); // 10 bytes a unit
        assertThat(big.getBytes(StandardCharsets.UTF_8).length).isEqualTo(1 << 20);
        try (WaylandClipboard clipboard = open(Selection.CLIPBOARD)) {
            user.set(Selection.CLIPBOARD, big);
            assertThat(clipboard.read(T).map(ClipboardContent::text)).contains(big);
            String other = big.replace('a', 'z');
            clipboard.write(other, T);
            assertThat(user.get(Selection.CLIPBOARD)).contains(other);
        }
    }

    @Test
    void changeEventsWhenTextReplacesText() throws ClipboardException {
        try (WaylandClipboard clipboard = open(Selection.CLIPBOARD)) {
            AtomicInteger events = new AtomicInteger();
            clipboard.watch(events::incrementAndGet);
            user.set(Selection.CLIPBOARD, "first");
            Await.until("event for first", T, () -> events.get() > 0);
            int before = events.get();
            user.set(Selection.CLIPBOARD, "second");
            Await.until("event for second", T, () -> events.get() > before);
            int beforeOurs = events.get();
            clipboard.write("ours", T);
            Await.until("event for our write", T, () -> events.get() > beforeOurs);
        }
    }

    @Test
    void primaryIsSeparate() throws ClipboardException {
        try (WaylandClipboard primary = open(Selection.PRIMARY)) {
            AtomicInteger events = new AtomicInteger();
            primary.watch(events::incrementAndGet);
            user.set(Selection.CLIPBOARD, "clip");
            user.set(Selection.PRIMARY, "prim");
            Await.until("PRIMARY event", T, () -> events.get() > 0);
            assertThat(primary.read(T).map(ClipboardContent::text)).contains("prim");
            primary.write("prim from java", T);
            assertThat(user.get(Selection.PRIMARY)).contains("prim from java");
            assertThat(user.get(Selection.CLIPBOARD)).contains("clip");
        }
    }
}
