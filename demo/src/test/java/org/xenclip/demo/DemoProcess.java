package org.xenclip.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XvfbServer;

/**
 * {@code java -jar demo/target/xenclip-demo.jar --test-hook} as a real process on a test's X server: sends the
 * test hook's commands, collects its reports (see {@link TestHook}), keeps its log for failure messages.
 */
final class DemoProcess implements AutoCloseable {

    /** Start-up on a loaded 2-core machine: two JavaFX windows, AWT, the simulator and a handshake. */
    static final Duration START = Duration.ofMinutes(2);

    private final Process process;
    private final Path log;
    private final List<String> reports = new ArrayList<>();
    private final OutputStream commands;

    private DemoProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.commands = process.getOutputStream();
        Thread reader = new Thread(this::readReports, "demo-reports");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the packaged demo on {@code display}, with {@code home} as HOME and XDG_CONFIG_HOME's parent. */
    static DemoProcess start(XvfbServer display, Path home) throws IOException {
        Path jar = Path.of("target", "xenclip-demo.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the *IT tests run after package (mvn verify)");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("xenclip-demo-", ".log");
        ProcessBuilder builder = display.configure(
                        new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar.toString(), "--test-hook"))
                .redirectError(log.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        // no desktop bus: the tray falls back (or is absent) and the window is the UI, as on a bare X server
        builder.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        return new DemoProcess(builder.start(), log);
    }

    private void readReports() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (reports) {
                    reports.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    List<String> reports() {
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** Waits for a report line equal to {@code line}, failing with the reports and the log. */
    void awaitReport(String what, Duration timeout, String line) {
        try {
            Await.until(what, timeout, () -> {
                if (!process.isAlive() && !reports().contains(line)) {
                    throw new AssertionError("the demo exited with " + process.exitValue() + " while waiting for "
                            + what + "; reports " + reports() + "; log:\n" + log());
                }
                return reports().contains(line);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; reports " + reports() + "; log:\n" + log(), e);
        }
    }

    /** The temporary directory the demo reported. */
    Path directory() {
        return reports().stream()
                .filter(r -> r.startsWith("dir "))
                .map(r -> Path.of(r.substring(4)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 'dir' report in " + reports()));
    }

    /** Types {@code text} in the VM window and presses "Copy in the VM", through the test hook. */
    void copyInVm(String text) throws IOException {
        send("copy " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
    }

    void pressQuit() throws IOException {
        send("quit");
    }

    private void send(String line) throws IOException {
        commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
    }

    /** Sends SIGTERM, as Ctrl+C or a logout would end the demo. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; returns its status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the demo did not exit within " + timeout + "; log:\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
