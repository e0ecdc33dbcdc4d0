package org.xenclip.desktop.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
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
import org.xenclip.desktop.testing.SecretOwner;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

class X11ClipboardTest {

    /** A bound for hangs, not a speed check: the shared build machine can be very loaded. */
    private static final Duration T = Duration.ofSeconds(60);

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
    void readsAndWritesOneMebibyte() throws ClipboardException {
        String big = oneMebibyte('a');
        assertThat(big.getBytes(StandardCharsets.UTF_8).length).isEqualTo(1 << 20);
        // xsel plays the user here: xclip 0.13 breaks its own INCR transfer from 1 MiB up (astrand/xclip#43)
        user.setWithXsel(Selection.CLIPBOARD, big);
        assertThat(clipboard.read(T).map(ClipboardContent::text)).contains(big);
        String other = oneMebibyte('z');
        clipboard.write(other, T);
        assertThat(user.get(Selection.CLIPBOARD)).contains(other);
        assertThat(user.getWithXsel(Selection.CLIPBOARD)).contains(other);
    }

    /** Exactly 1 MiB of UTF-8 mixing 1-, 2-, 3- and 4-byte characters and line ends. */
    private static String oneMebibyte(char variant) {
        String unit = "ab" + variant + "é世🎉\n"; // 3 + 2 + 3 + 4 + 1 = 13 bytes
        StringBuilder text = new StringBuilder(unit.repeat((1 << 20) / 13));
        text.append("x".repeat((1 << 20) % 13));
        return text.toString();
    }

    @Test
    void readsWhatXselSetAndXselReadsOurs() throws ClipboardException {
        user.setWithXsel(Selection.CLIPBOARD, "xsel → java");
        assertThat(clipboard.read(T).map(ClipboardContent::text)).contains("xsel → java");
        clipboard.write("java → xsel", T);
        assertThat(user.getWithXsel(Selection.CLIPBOARD)).contains("java → xsel");
    }

    @Test
    void emptyWhenNoOwnerOrNoText() throws ClipboardException {
        user.set(Selection.CLIPBOARD, "x");
        user.clear(Selection.CLIPBOARD);
        assertThat(clipboard.read(T)).isEmpty();
        user.setTarget(Selection.CLIPBOARD, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertThat(clipboard.read(T)).isEmpty();
    }

    @Test
    void seesEveryOtherOwnersChangeButNotOurOwnWrites() throws ClipboardException {
        AtomicInteger events = new AtomicInteger();
        clipboard.watch(events::incrementAndGet);
        user.set(Selection.CLIPBOARD, "user text");
        Await.until("event for the user's copy", T, () -> events.get() > 0);
        int afterUser = events.get();
        clipboard.write("ours", T);
        clipboard.write("ours again", T);
        try (RawSelectionPeer other = new RawSelectionPeer(xvfb.display())) {
            other.own();
            Await.until("event for the other program's copy", T, () -> events.get() > afterUser);
            // events arrive in the server's order, so events for our two writes would have come first
            assertThat(events.get()).isEqualTo(afterUser + 1);
            int afterOther = events.get();
            other.own(); // the same window replacing its own text: AWT's FlavorListener stays silent here
            Await.until("event for the text replacing text", T, () -> events.get() > afterOther);
        }
        int beforeLoss = events.get();
        user.set(Selection.CLIPBOARD, "owner to vanish");
        Await.until("event for the copy", T, () -> events.get() > beforeLoss);
        int beforeClose = events.get();
        user.close(); // the owning client disconnects
        Await.until("event for the owner's exit", T, () -> events.get() > beforeClose);
        assertThat(clipboard.read(T)).isEmpty();
    }

    @Test
    void timesOutOnAnOwnerThatNeverAnswersAndRecovers() throws ClipboardException {
        user.set(Selection.CLIPBOARD, "hung");
        user.freeze();
        assertThatThrownBy(() -> clipboard.read(Duration.ofMillis(500)))
                .isInstanceOf(ClipboardException.class)
                .hasMessage("read CLIPBOARD: its owner did not answer within 500 ms");
        user.close();
        try (XClip next = new XClip(xvfb)) {
            next.set(Selection.CLIPBOARD, "after the hang");
            assertThat(clipboard.read(Duration.ofSeconds(30)).map(ClipboardContent::text))
                    .contains("after the hang");
        }
    }

    @Test
    void marksPasswordManagerTextSecret() throws ClipboardException {
        try (SecretOwner keepass = SecretOwner.start(xvfb.display(), Selection.CLIPBOARD, "hunter2")) {
            assertThat(keepass.isAlive()).isTrue();
            assertThat(clipboard.read(T)).contains(new ClipboardContent("hunter2", true));
            assertThat(user.targets(Selection.CLIPBOARD)).contains("x-kde-passwordManagerHint");
        }
        user.set(Selection.CLIPBOARD, "plain");
        assertThat(clipboard.read(T)).contains(new ClipboardContent("plain", false));
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
