package org.xenclip.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One app process under test (host app or guest agent) with its standard error captured to a file under
 * {@code target/}, so a failure can show what the app said.
 */
final class AppProcess {

    private final String name;
    private final Process process;
    private final Path log;

    private AppProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static AppProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().remove("WAYLAND_DISPLAY");
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            return new AppProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. Returns once the process is gone. */
    void kill9() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM, the way a session or systemd stops the app; forcibly after 15 s. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /** The exit status, or -1 while running. */
    int exitStatus() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The whole log so far. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The log's length now: pass it to {@link #logSince} to look only at what comes later. */
    int logMark() {
        return logText().length();
    }

    String logSince(int mark) {
        String text = logText();
        return mark <= text.length() ? text.substring(mark) : text;
    }

    /** The last lines of the log, for assertion messages. */
    String tail(int lines) {
        List<String> all = logText().lines().toList();
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        return "--- " + name + " (pid " + process.pid() + (process.isAlive() ? ", alive" : ", exit " + exitStatus())
                + ") " + log + ", last " + last.size() + " lines:\n" + String.join("\n", last) + "\n";
    }
}
