package org.xenclip.guest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.channelsim.ChannelConfig;
import org.xenclip.channelsim.SimulatedChannel;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.guest.agent.Dom0End;
import org.xenclip.protocol.ClipboardText;

/**
 * The packaged program as users run it: {@code java -jar guest-app/target/xenclip-guest.jar} in its own
 * process, on its own Xvfb, with the channel simulator's pty as device and a protocol server on the socket.
 */
class AgentProcessIT {

    private static final Path JAR = Path.of("target/xenclip-guest.jar");
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private XvfbServer xvfb;
    private SimulatedChannel channel;
    private XClip user;
    private Process agent;
    private Path agentLog;

    @BeforeEach
    void start() throws IOException {
        assertThat(JAR).as("the shaded jar (built by ./mvnw package)").exists();
        xvfb = XvfbServer.start();
        user = new XClip(xvfb);
        channel = SimulatedChannel.start(
                ChannelConfig.of("it", dir.resolve("clip.sock")).withDeviceLink(dir.resolve("hvc-link")));
        agentLog = dir.resolve("agent.log");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (user != null) {
            user.close();
        }
        if (channel != null) {
            channel.close();
        }
        if (xvfb != null) {
            xvfb.close();
        }
    }

    private Process launch(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = xvfb.configure(new ProcessBuilder(cmd))
                .redirectOutput(dir.resolve("agent.out").toFile())
                .redirectError(agentLog.toFile());
        return pb.start();
    }

    private String log() throws IOException {
        return Files.readString(agentLog, StandardCharsets.UTF_8);
    }

    @Test
    void syncsBothWaysAndStopsCleanlyOnSigterm() throws Exception {
        agent = launch("--device", channel.devicePath().toString(), "--verbose");
        try (Dom0End dom0 = Dom0End.connect(channel.socketPath())) {
            Await.until("established with the agent process", T, dom0::isEstablished);
            String secret = "guest text that must never appear in a log 🔑";
            user.set(Selection.CLIPBOARD, secret);
            Await.until(
                    "dom0 received the guest's copy", T, () -> dom0.received().contains(ClipboardText.of(secret)));
            dom0.send("dom0 text for the process ✓");
            Await.value(
                    "guest clipboard",
                    T,
                    () -> user.get(Selection.CLIPBOARD),
                    v -> v.equals(Optional.of("dom0 text for the process ✓")));

            agent.destroy(); // SIGTERM
            assertThat(agent.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String log = log();
            assertThat(log)
                    .contains("device: " + channel.devicePath() + " (given with --device)")
                    .contains("device open, watching")
                    .contains("connected to dom0")
                    .doesNotContain("guest text", "dom0 text", "🔑");
        }
    }

    @Test
    void badFlagExitsWithTwoAndSaysWhy() throws Exception {
        agent = launch("--colour");
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(2);
        assertThat(log()).isEqualTo("xenclip-guest: unknown option '--colour' (see --help)\n");
    }

    @Test
    void missingDeviceExitsWithThree() throws Exception {
        agent = launch("--device", dir.resolve("no-such-hvc").toString());
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(3);
        assertThat(log()).contains("no such device: " + dir.resolve("no-such-hvc"));
    }

    @Test
    void helpListsEveryFlag() throws Exception {
        agent = launch("--help");
        assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("agent.out")))
                .contains("--device PATH", "--backend auto|x11|wayland", "--max-bytes N", "--primary", "--verbose");
    }
}
