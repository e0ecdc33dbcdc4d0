package org.xenclip.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The top-level {@code ./xenclip-demo} launcher, run as a user runs it (after package, so the jar is fresh). */
class LauncherScriptIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path SCRIPT = ROOT.resolve("xenclip-demo");
    private static final Path JAR = Path.of("target", "xenclip-demo.jar").toAbsolutePath();

    private record Result(int status, String out, String err) {}

    @Test
    void helpSaysWhatItDoesWithoutBuildingAnything() throws Exception {
        FileTime before = Files.getLastModifiedTime(JAR);

        Result r = run(List.of(SCRIPT.toString(), "--help"));

        assertThat(r.status()).isZero();
        assertThat(r.out())
                .startsWith("Usage: ./xenclip-demo [--help]")
                .contains("simulated VM", "demo-vm: guest clipboard", "Copy in the VM", "JDK 17");
        assertThat(r.err()).isEmpty();
        assertThat(Files.getLastModifiedTime(JAR)).as("the jar was not rebuilt").isEqualTo(before);
    }

    @Test
    void otherArgumentsReachTheJarWhenItIsUpToDate() throws Exception {
        assertThat(JAR).as("packaged before the *IT tests").exists();

        Result r = run(List.of(SCRIPT.toString(), "--no-such-option"));

        assertThat(r.err())
                .as("no build message: the jar is newer than every source")
                .doesNotContain("building the demo")
                .contains("xenclip-demo: unknown argument '--no-such-option'");
        assertThat(r.status()).isEqualTo(Main.EXIT_USAGE);
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("launcher-", ".out");
        Path err = Files.createTempFile("launcher-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(ROOT.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = builder.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 120 s");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
