package org.xenclip.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(
                List.of(args),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpSaysWhatTheDemoStartsAndExitsZero() {
        assertThat(run("--help")).isEqualTo(Main.EXIT_OK);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("Usage: java -jar xenclip-demo.jar")
                .contains("demo-vm: guest clipboard")
                .contains("throwaway settings");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUnknownArgumentIsAUsageErrorNamingIt() {
        assertThat(run("--demo")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("xenclip-demo: unknown argument '--demo'\n")
                .contains("--help");
    }
}
