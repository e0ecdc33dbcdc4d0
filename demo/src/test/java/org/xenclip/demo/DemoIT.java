package org.xenclip.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.Tools;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

/**
 * The packaged demo as a user runs it, on a real Xvfb: xclip plays the desktop user, the test hook plays the
 * VM's user through the demo VM window's own controls. Between them: the real host app, the real protocol,
 * the channel simulator's socket and pty, the real guest agent.
 */
class DemoIT {

    /** Text crossing one way; generous for a loaded machine, a bound for hangs rather than a speed check. */
    private static final Duration SYNC = Duration.ofSeconds(30);

    private static final String FROM_DESKTOP = "from the desktop: 你好世界, שלום עולם, مرحبا 😀👍🏽\nsecond line";
    private static final String FROM_DESKTOP_AGAIN = "again from the desktop: Ελληνικά, русский, 한국어";
    private static final String FROM_VM = "from the VM: こんにちは, Ελληνικά, עברית 🎉🇩🇪\nand a tab\there";

    @Test
    void textCrossesBothWaysAndQuitRemovesEverything(@TempDir Path home) throws Exception {
        try (XvfbServer display = XvfbServer.start("-screen", "0", "1600x900x24");
                XClip user = new XClip(display);
                DemoProcess demo = DemoProcess.start(display, home)) {
            demo.awaitReport("the demo-vm window", DemoProcess.START, "window");
            demo.awaitReport("host app and agent in session", DemoProcess.START, "connected");
            Path dir = demo.directory();
            assertThat(dir.resolve(DemoVm.NAME + ".sock")).exists();
            assertThat(windowNames(display)).contains(GuestWindow.TITLE, "xenclip");

            user.set(Selection.CLIPBOARD, FROM_DESKTOP);
            demo.awaitReport("the desktop's text in the demo-vm window", SYNC, shown(FROM_DESKTOP));

            demo.copyInVm(FROM_VM);
            demo.awaitReport("the VM's text in its own window", SYNC, shown(FROM_VM));
            Await.value(
                    "the VM's text on the desktop clipboard",
                    SYNC,
                    () -> user.get(Selection.CLIPBOARD),
                    Optional.of(FROM_VM)::equals);

            // the desktop clipboard's owner was the host app (it wrote the VM's text): a copy now replaces it
            user.set(Selection.CLIPBOARD, FROM_DESKTOP_AGAIN);
            demo.awaitReport("a desktop copy after a VM copy in the demo-vm window", SYNC, shown(FROM_DESKTOP_AGAIN));

            demo.pressQuit();
            assertThat(demo.awaitExit(Duration.ofSeconds(60)))
                    .as("exit status after quit")
                    .isZero();
            assertThat(dir).as("the demo's temporary directory").doesNotExist();
            assertThat(home.resolve(".config").resolve("xenclip"))
                    .as("the user's own settings directory")
                    .doesNotExist();
        }
    }

    @Test
    void aKillSignalAlsoRemovesTheSimulatedVm(@TempDir Path home) throws Exception {
        try (XvfbServer display = XvfbServer.start("-screen", "0", "1600x900x24");
                DemoProcess demo = DemoProcess.start(display, home)) {
            demo.awaitReport("host app and agent in session", DemoProcess.START, "connected");
            Path dir = demo.directory();
            assertThat(dir).exists();

            demo.terminate();

            demo.awaitExit(Duration.ofSeconds(60));
            assertThat(dir).as("the demo's temporary directory after SIGTERM").doesNotExist();
        }
    }

    private static String shown(String text) {
        return "shown " + TestHook.sha256(text) + " " + text.length();
    }

    /** Window names on the display, as xwininfo lists them. */
    private static String windowNames(XvfbServer display) throws IOException, InterruptedException {
        Path xwininfo = Tools.require("xwininfo", "x11-utils");
        Process p = display.configure(new ProcessBuilder(List.of(xwininfo.toString(), "-root", "-tree")))
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("xwininfo did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
