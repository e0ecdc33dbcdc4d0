package org.xenclip.channelsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {
    @Test
    void parsesAllOptions() {
        CliArguments cli = CliArguments.parse(List.of(
                "--socket", "/run/xen/clip-vm1.sock",
                "--device-link", "/dev/xen-channel/org.xenproject.guest.clipboard.0.1",
                "--bandwidth", "4096",
                "--name", "vm1"));
        assertThat(cli.help()).isFalse();
        assertThat(cli.config())
                .isEqualTo(new ChannelConfig(
                        "vm1",
                        Path.of("/run/xen/clip-vm1.sock"),
                        Optional.of(Path.of("/dev/xen-channel/org.xenproject.guest.clipboard.0.1")),
                        4096));
    }

    @Test
    void namesTheChannelAfterTheSocketByDefault() {
        CliArguments cli = CliArguments.parse(List.of("--socket", "/run/xen/clip-vm1.sock"));
        assertThat(cli.config().name()).isEqualTo("clip-vm1");
        assertThat(cli.config().deviceLink()).isEmpty();
        assertThat(cli.config().bandwidthBytesPerSecond()).isZero();
        assertThat(CliArguments.defaultName(Path.of("/tmp/a b:c.sock"))).isEqualTo("a_b_c");
    }

    @Test
    void helpWinsOverEverythingElse() {
        assertThat(CliArguments.parse(List.of("--help")).help()).isTrue();
        assertThat(CliArguments.parse(List.of("--socket", "/x", "-h")).help()).isTrue();
    }

    @Test
    void rejectsBadArgumentsWithExactMessages() {
        assertRejected(List.of(), "--socket PATH is required");
        assertRejected(List.of("--socket"), "--socket needs a value");
        assertRejected(List.of("--socket", "--bandwidth", "5"), "--socket needs a value");
        assertRejected(List.of("--socket", "/x", "--verbose"), "unknown argument '--verbose'");
        assertRejected(List.of("--socket", "/x", "--bandwidth", "fast"), "--bandwidth fast is not a number of bytes/s");
        assertRejected(
                List.of("--socket", "/x", "--bandwidth", "0"), "--bandwidth 0 must be a positive number of bytes/s");
        assertRejected(
                List.of("--socket", "/x", "--name", "a/b"),
                "channel name 'a/b' must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        String longPath = "/tmp/" + "d".repeat(110) + ".sock";
        assertRejected(
                List.of("--socket", longPath),
                "socket path " + longPath + " is 120 bytes long, exceeds the Unix socket limit of 107 bytes");
    }

    private static void assertRejected(List<String> args, String message) {
        assertThatThrownBy(() -> CliArguments.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
