package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.vm.SyncMode;

class CommandLineTest {

    @Test
    void parsesAllOptions() throws Exception {
        CommandLine cl = CommandLine.parse(List.of(
                "--no-ui",
                "--vm",
                "work=/run/xen/clip-work.sock,mode=both",
                "--vm=web=/run/xen/web.sock",
                "--socket-dir",
                "/run/xen",
                "--config=/tmp/cfg",
                "--no-xenstore"));
        assertThat(cl.noUi()).isTrue();
        assertThat(cl.noXenstore()).isTrue();
        assertThat(cl.help()).isFalse();
        assertThat(cl.vms())
                .containsExactly(
                        new StaticVm("work", Path.of("/run/xen/clip-work.sock"), Optional.of(SyncMode.BOTH)),
                        new StaticVm("web", Path.of("/run/xen/web.sock"), Optional.empty()));
        assertThat(cl.socketDir()).contains(Path.of("/run/xen"));
        assertThat(cl.configDir()).contains(Path.of("/tmp/cfg"));
    }

    @Test
    void rejectsBadArgumentsWithExactMessages() {
        assertBad(List.of("--frobnicate"), "unknown argument '--frobnicate'");
        assertBad(List.of("--vm"), "--vm needs a value");
        assertBad(List.of("--vm", "--no-ui"), "--vm needs a value");
        assertBad(List.of("--vm", "work"), "--vm 'work' is not NAME=PATH[,mode=MODE]");
        assertBad(
                List.of("--vm", "work=/s,mode=sideways"),
                "--vm work: mode 'sideways' is not one of off, to-guest, from-guest, both");
        assertBad(List.of("--vm", "work=/s,speed=fast"), "--vm work: unknown option 'speed=fast' (only mode=MODE)");
        assertBad(
                List.of("--vm", "a b=/s"), "--vm: VM name 'a b' contains ' '; allowed are letters, digits and - _ . +");
        assertBad(List.of("--vm", "a=/s", "--vm", "a=/t"), "--vm a given twice");
        assertBad(List.of("--socket-dir"), "--socket-dir needs a value");
        assertBad(List.of("--no-ui=yes"), "--no-ui takes no value");
    }

    private static void assertBad(List<String> args, String message) {
        assertThatThrownBy(() -> CommandLine.parse(args))
                .isInstanceOf(CommandLine.UsageException.class)
                .hasMessage(message);
    }

    @Test
    void badArgumentsExitWithStatus2AndAClearMessage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of("--vm", "nope"), Map.of(), print(out), print(err));
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        """
                        xenclip-host: --vm 'nope' is not NAME=PATH[,mode=MODE]
                        Try 'xenclip-host --help'.
                        """);
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(List.of("--help"), Map.of(), print(out), print(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: xenclip-host [options]\n   (from a build: java -jar xenclip-host.jar [options])\n")
                .contains("--no-ui", "--vm NAME=PATH[,mode=MODE]", "--socket-dir DIR", "--config DIR", "--help")
                .contains("an edit of settings.properties", "sed -i 's/^vm\\.work\\.mode=.*/vm.work.mode=both/'");
    }

    private static PrintStream print(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }
}
