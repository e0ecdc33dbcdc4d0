package org.xenclip.desktop.x11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

/**
 * The selection protocol at the edges the clipboard tools do not reach on demand, against a bare X client
 * ({@link RawSelectionPeer}) on a real Xvfb: a paste client dying mid-INCR, an owner whose chunks come slowly, an
 * owner that never ends its text.
 */
class X11SelectionProtocolTest {

    /** A bound for hangs, not a speed check. */
    private static final Duration T = Duration.ofSeconds(60);

    private XvfbServer xvfb;
    private X11Clipboard clipboard;

    @BeforeEach
    void open() throws ClipboardException {
        xvfb = XvfbServer.start();
        clipboard = X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD);
    }

    @AfterEach
    void close() {
        clipboard.close();
        xvfb.close();
    }

    @Test
    void dropsTheTransferOfAPasteClientThatDiesAndServesTheNextOneWhole() throws ClipboardException {
        String text = "0123456789abcdef".repeat(1 << 16); // 1 MiB: four INCR chunks
        clipboard.write(text, T);
        int received;
        try (RawSelectionPeer client = new RawSelectionPeer(xvfb.display())) {
            received = client.pasteAndDie(1);
        }
        assertThat(received).isEqualTo(SelectionLoop.MAX_PROPERTY_BYTES);
        // dropped on the window's DestroyNotify, not after the stall limit
        Await.until("the dead client's transfer dropped", T, () -> abandoned() == 1);
        assertThat(counts().stalled()).isZero();
        assertThat(counts().inProgress()).isZero();
        try (XClip user = new XClip(xvfb)) {
            assertThat(user.getWithXsel(Selection.CLIPBOARD)).contains(text);
        }
    }

    @Test
    void survivesAPasteClientWhoseWindowIsGoneBeforeTheAnswer() throws ClipboardException {
        clipboard.write("still here", T);
        int before = clipboard.xErrors();
        try (RawSelectionPeer client = new RawSelectionPeer(xvfb.display())) {
            client.requestAndVanish();
            // Xlib's default handler would have printed the BadWindow and exited the process here
            Await.until("the answer's BadWindow", T, () -> xErrors() > before);
        }
        try (XClip user = new XClip(xvfb)) {
            assertThat(user.get(Selection.CLIPBOARD)).contains("still here");
        }
    }

    @Test
    void readsASlowOwnersLargeTextAsLongAsItKeepsSending() throws Exception {
        byte[] text = "slow ✓ ".repeat(40_000).getBytes(StandardCharsets.UTF_8); // 360 000 bytes
        try (RawSelectionPeer owner = new RawSelectionPeer(xvfb.display())) {
            owner.own();
            // six chunks, each 500 ms after the last was taken: 3 s in all, twice the read's 1.5 s timeout
            CompletableFuture<Long> serving = CompletableFuture.supplyAsync(() -> serve(owner, text, 64 << 10, 500, 0));
            assertThat(clipboard.read(Duration.ofMillis(1500)).map(ClipboardContent::text))
                    .contains(new String(text, StandardCharsets.UTF_8));
            assertThat(serving.get(60, TimeUnit.SECONDS)).isEqualTo(text.length);
        }
    }

    @Test
    void refusesATextLargerThanTheReadLimit() throws Exception {
        try (RawSelectionPeer owner = new RawSelectionPeer(xvfb.display())) {
            owner.own();
            int chunk = 1 << 20;
            int extra = SelectionLoop.MAX_READ_BYTES / chunk + 1;
            CompletableFuture<Long> serving = CompletableFuture.supplyAsync(
                    () -> serve(owner, "abc".getBytes(StandardCharsets.UTF_8), chunk, 0, extra));
            try {
                assertThatThrownBy(() -> clipboard.read(T))
                        .isInstanceOf(ClipboardException.class)
                        .hasMessage(
                                "read CLIPBOARD: the text is larger than 16777216 bytes, more than the clipboard reads");
            } finally {
                owner.stop();
                serving.handle((sent, failure) -> null).get(60, TimeUnit.SECONDS);
            }
        }
        // the loop is still usable
        clipboard.write("after", T);
        assertThat(clipboard.read(T).map(ClipboardContent::text)).contains("after");
    }

    private static long serve(RawSelectionPeer owner, byte[] text, int chunk, long pause, int extra) {
        try {
            return owner.serveIncr(text, chunk, pause, extra);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int xErrors() {
        try {
            return clipboard.xErrors();
        } catch (ClipboardException e) {
            throw new IllegalStateException(e);
        }
    }

    private int abandoned() {
        return counts().abandoned();
    }

    private SelectionLoop.SendCounts counts() {
        try {
            return clipboard.sendCounts();
        } catch (ClipboardException e) {
            throw new IllegalStateException(e);
        }
    }
}
