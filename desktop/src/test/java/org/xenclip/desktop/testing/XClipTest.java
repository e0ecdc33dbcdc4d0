package org.xenclip.desktop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.Selection;

class XClipTest {

    private static XvfbServer xvfb;

    @BeforeAll
    static void startX() {
        xvfb = XvfbServer.start();
    }

    @AfterAll
    static void stopX() {
        xvfb.close();
    }

    @Test
    void setThenGetThroughBothTools() {
        try (XClip user = new XClip(xvfb)) {
            user.set(Selection.CLIPBOARD, "héllo ✓ 世界\nline 2");
            assertThat(user.get(Selection.CLIPBOARD)).contains("héllo ✓ 世界\nline 2");
            assertThat(user.getWithXsel(Selection.CLIPBOARD)).contains("héllo ✓ 世界\nline 2");
            user.setWithXsel(Selection.CLIPBOARD, "from xsel");
            assertThat(user.get(Selection.CLIPBOARD)).contains("from xsel");
        }
    }

    @Test
    void selectionsAreSeparateAndOwnershipMoves() {
        try (XClip user = new XClip(xvfb)) {
            user.set(Selection.PRIMARY, "primary text");
            long first = user.owner(Selection.PRIMARY);
            user.set(Selection.CLIPBOARD, "clipboard text");
            assertThat(user.get(Selection.PRIMARY)).contains("primary text");
            user.set(Selection.PRIMARY, "primary text");
            assertThat(user.owner(Selection.PRIMARY)).isNotEqualTo(first).isNotZero();
        }
    }

    @Test
    void offersACustomTargetAndClears() {
        try (XClip user = new XClip(xvfb)) {
            user.setTarget(Selection.CLIPBOARD, "text/html", "<b>x</b>".getBytes(StandardCharsets.UTF_8));
            assertThat(user.targets(Selection.CLIPBOARD)).contains("text/html");
            user.clear(Selection.CLIPBOARD);
            assertThat(user.get(Selection.CLIPBOARD)).isEmpty();
            assertThat(user.owner(Selection.CLIPBOARD)).isZero();
        }
    }

    @Test
    @SuppressWarnings("try") // the kit is closed inside its block on purpose: that kills the stopped owner
    void aReadWhoseOwnerDiesMidTransferIsStartedAgainNotHung() throws Exception {
        // xsel serves 1 MiB in INCR chunks; stopped, it never answers; killed, it never will: a reader that asked
        // it waits forever unless the kit notices the owner's window is gone
        try (XClip user = new XClip(xvfb)) {
            user.setWithXsel(Selection.CLIPBOARD, "x".repeat(1 << 20));
            long owner = user.owner(Selection.CLIPBOARD);
            user.freeze();
            int windowsBefore = topLevelWindows(user);
            java.util.concurrent.CompletableFuture<java.util.Optional<String>> read =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> user.getWithXsel(Selection.CLIPBOARD));
            // the reader's window exists once it is connected; it asks right after (a round trip later)
            Await.until(
                    "the reader connected",
                    java.time.Duration.ofSeconds(30),
                    () -> topLevelWindows(user) > windowsBefore);
            Await.until(
                    "the reader waiting for its answer", java.time.Duration.ofSeconds(30), () -> ProcessHandle.current()
                            .descendants()
                            .anyMatch(p -> p.info().commandLine().orElse("").contains("--output") && sleeping(p)));
            user.close(); // kills the stopped owner: its window goes, and with it the selection
            assertThat(user.exists(owner)).isFalse();
            assertThat(read.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
            assertThat(user.strandedReads()).isEqualTo(1);
        }
    }

    private static int topLevelWindows(XClip user) {
        return user.topLevelWindows().length;
    }

    private static boolean sleeping(ProcessHandle p) {
        try {
            String stat =
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("S");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void closeKillsTheSetters() {
        XClip user = new XClip(xvfb);
        user.set(Selection.CLIPBOARD, "a");
        user.set(Selection.PRIMARY, "b");
        assertThat(user.liveOwners()).isEqualTo(2);
        user.close();
        assertThat(user.liveOwners()).isZero();
        assertThat(user.get(Selection.PRIMARY)).isEmpty();
    }
}
