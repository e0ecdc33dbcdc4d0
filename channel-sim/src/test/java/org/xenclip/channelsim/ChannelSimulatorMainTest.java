package org.xenclip.channelsim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process, with its standard streams replaced; the channel it starts is real. */
class ChannelSimulatorMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return ChannelSimulatorMain.run(
                args,
                new BufferedReader(new StringReader(stdin)),
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
    }

    @Test
    void printsUsageForHelp() {
        assertThat(run("", "--help")).isZero();
        assertThat(out.toString(UTF_8))
                .startsWith("Usage: java -jar xenclip-channel-sim.jar --socket PATH")
                .contains("inject guest|dom0 HEX");
    }

    @Test
    void exitsWith2AndAMessageOnBadArguments() {
        assertThat(run("", "--socket")).isEqualTo(2);
        assertThat(err.toString(UTF_8))
                .isEqualTo("xenclip-channel-sim: --socket needs a value\nRun with --help for usage.\n");
        assertThat(out.size()).isZero();
    }

    @Test
    void exitsWith1WhenTheChannelCannotStart() throws IOException {
        Path taken = Files.writeString(dir.resolve("file"), "x");
        assertThat(run("", "--socket", taken.toString())).isEqualTo(1);
        assertThat(err.toString(UTF_8))
                .isEqualTo("xenclip-channel-sim: cannot start: socket path " + taken + " exists and is not a socket\n");
    }

    @Test
    void runsFaultCommandsFromStandardInput() throws Exception {
        Path socket = dir.resolve("s.sock");
        Path link = dir.resolve("dev/link");
        PipedWriter stdin = new PipedWriter();
        BufferedReader reader = new BufferedReader(new PipedReader(stdin));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ChannelSimulatorMain.run(
                new String[] {"--socket", socket.toString(), "--device-link", link.toString(), "--name", "cli"},
                reader,
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8)));
        Await.until("ready", () -> out.toString(UTF_8).contains("ready "));
        assertThat(out.toString(UTF_8)).startsWith("ready socket=" + socket + " device=" + link + " pty=/dev/pts/");
        try (Dom0Client dom0 = Dom0Client.connect(socket)) {
            stdin.write("inject dom0 68690a\nattached\n");
            stdin.flush();
            assertThat(new String(dom0.read(3 + 14), UTF_8)).isEqualTo("hi\n\r\n[ATTACHED]\r\n");
            stdin.write("bogus\nstall guest\nresume guest\ncorrupt dom0\ninject dom0 41\n");
            stdin.flush();
            assertThat(dom0.read(1)).containsExactly(~'A');
            stdin.write("drop\n");
            stdin.flush();
            dom0.awaitEndOfStream(Await.DEFAULT);
        }
        stdin.write("reboot\nstats\nquit\n");
        stdin.flush();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        List<String> replies = out.toString(UTF_8).lines().skip(1).collect(Collectors.toList());
        assertThat(replies).hasSize(11);
        assertThat(replies.subList(0, 8))
                .containsExactly(
                        "ok inject 3 bytes toward dom0",
                        "ok inject 14 bytes toward dom0",
                        "error: unknown command 'bogus' (try help)",
                        "ok stall guest",
                        "ok resume guest",
                        "ok corrupt dom0",
                        "ok inject 1 bytes toward dom0",
                        "ok drop");
        assertThat(replies.get(8)).startsWith("ok reboot pty=/dev/pts/");
        assertThat(replies.get(9)).startsWith("ok ChannelStats[").contains("boots=2", "clientsAccepted=1");
        assertThat(replies.get(10)).isEqualTo("ok quit");
        assertThat(socket).doesNotExist();
    }
}
