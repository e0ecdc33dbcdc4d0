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
