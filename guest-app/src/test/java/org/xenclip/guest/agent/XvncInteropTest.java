package org.xenclip.guest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.Tools;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.desktop.x11.X11Clipboard;
import org.xenclip.guest.device.ChannelDevice;

/**
 * Interoperability with an RFB server we did not write: TigerVNC's Xvnc plays dom0, its RFB socket bridged
 * by socat to a pseudo-terminal (left cooked) that the agent opens as its channel device. Xvnc's own X
 * display is "dom0's desktop"; the shared Xvfb is the guest's.
 */
class XvncInteropTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Process xvnc;
    private Process socat;
    private XClip guestUser;
    private XClip vncUser;
    private GuestAgent agent;
    private ChannelDevice device;
    private List<ClipboardBackend> clipboards;

    @BeforeEach
    void start() throws Exception {
        XvfbServer guestDisplay = XvfbServer.shared();
        Path xvncBin = Tools.require("Xvnc", "tigervnc-standalone-server");
        Path socatBin = Tools.require("socat", "socat");
        Path rfbSocket = dir.resolve("rfb.sock");
        xvnc = new ProcessBuilder(List.of(
                        xvncBin.toString(),
                        "-displayfd",
                        "1",
                        "-nolisten",
                        "tcp",
                        "-rfbport",
                        "-1",
                        "-rfbunixpath",
                        rfbSocket.toString(),
                        "-SecurityTypes",
                        "None",
                        "-geometry",
                        "320x240",
                        "-depth",
                        "24"))
                .redirectError(dir.resolve("xvnc.log").toFile())
                .start();
        String display = ":" + firstLine(xvnc, "Xvnc display number");
        vncUser = new XClip(display);
        guestUser = new XClip(guestDisplay);
        Await.until("Xvnc RFB socket " + rfbSocket, T, () -> Files.exists(rfbSocket));

        // The pty comes first and waits for its slave to be opened, so Xvnc's greeting arrives after the agent
        // opened the device (it would otherwise be echoed back by the cooked tty, as protocol.md section 1 warns).
        Path pty = dir.resolve("channel-pty");
        socat = new ProcessBuilder(
                        List.of(socatBin.toString(), "PTY,link=" + pty + ",wait-slave", "UNIX-CONNECT:" + rfbSocket))
                .redirectError(dir.resolve("socat.log").toFile())
                .start();
        Await.until("socat pty " + pty, T, () -> Files.exists(pty));

        device = ChannelDevice.open(pty);
        clipboards = List.of(X11Clipboard.open(guestDisplay.display(), Selection.CLIPBOARD));
        agent = new GuestAgent(device, clipboards, AgentConfig.defaults());
        agent.start();
        Await.until(
                "agent established with Xvnc (socat log: " + dir.resolve("socat.log") + ")", T, agent::isEstablished);
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (clipboards != null) {
            clipboards.forEach(ClipboardBackend::close);
        }
        if (device != null) {
            device.close();
        }
        for (XClip c : new XClip[] {guestUser, vncUser}) {
            if (c != null) {
                c.close();
            }
        }
        for (Process p : new Process[] {socat, xvnc}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void guestCopyReachesXvnc() {
        guestUser.set(Selection.CLIPBOARD, "from the guest to TigerVNC ✓ €");
        Await.value(
                "Xvnc's clipboard",
                T,
                () -> vncUser.get(Selection.CLIPBOARD),
                v -> v.equals(Optional.of("from the guest to TigerVNC ✓ €")));
    }

    @Test
    void xvncCopyReachesGuest() {
        vncUser.set(Selection.CLIPBOARD, "from TigerVNC to the guest 日本\nsecond line");
        Await.value(
                "guest clipboard",
                T,
                () -> guestUser.get(Selection.CLIPBOARD),
                v -> v.equals(Optional.of("from TigerVNC to the guest 日本\nsecond line")));
        assertThat(agent.isEstablished()).isTrue();
    }

    private static String firstLine(Process p, String what) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String s = line.get(T.toMillis(), TimeUnit.MILLISECONDS);
        if (s == null || !s.trim().matches("\\d+")) {
            throw new IllegalStateException(
                    what + " not reported (exit " + (p.isAlive() ? "running" : p.exitValue()) + ")");
        }
        return s.trim();
    }
}
