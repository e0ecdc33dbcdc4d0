package org.xenclip.protocol.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real TigerVNC Xvnc: an X server that is also an RFB 3.8 server relaying the X clipboard. Started on a
 * display the X server picks itself ({@code -displayfd}) so that parallel test runs never collide, on a free
 * loopback port, without authentication. The clipboard is played by xclip, as a user would.
 *
 * <p>Owned by the test thread; closing it stops every process it started.
 */
final class Xvnc implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration XCLIP_TIMEOUT = Duration.ofSeconds(10);

    private final Process server;
    private final String display;
    private final int port;
    private final Path log;
    private final List<Process> clipboardOwners = new ArrayList<>();

    private Xvnc(Process server, String display, int port, Path log) {
        this.server = server;
        this.display = display;
        this.port = port;
        this.log = log;
    }

    /** Fails the test, naming the Debian package, when a program is missing: never a silent skip. */
    static void requireInstalled(String program, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator, -1)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        fail(program + " is not installed: the interoperability test needs the Debian package " + debianPackage
                + " (apt-get install -y " + debianPackage + ")");
    }

    static Xvnc start(Path workDir) throws IOException, InterruptedException {
        requireInstalled("Xvnc", "tigervnc-standalone-server");
        requireInstalled("xclip", "xclip");
        Files.createDirectories(workDir);
        IOException last = null;
        // A free port can be taken by someone else between probing and Xvnc binding it: retry a few times.
        for (int attempt = 1; attempt <= 5; attempt++) {
            int port = freeLoopbackPort();
            Path log = workDir.resolve("xvnc-" + port + ".log");
            ProcessBuilder pb = new ProcessBuilder(
                            "Xvnc",
                            "-displayfd",
                            "1",
                            "-SecurityTypes",
                            "None",
                            "-rfbport",
                            String.valueOf(port),
                            "-localhost",
                            "-geometry",
                            "320x200",
                            "-depth",
                            "24",
                            "-nolisten",
                            "tcp")
                    .redirectError(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            String display = readDisplay(p);
            if (display != null && p.isAlive()) {
                return new Xvnc(p, ":" + display, port, log);
            }
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            last = new IOException("Xvnc did not start on port " + port + ": see " + log);
        }
        throw last;
    }

    /** -displayfd 1: Xvnc writes the display number it chose to stdout once it accepts connections. */
    private static String readDisplay(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String[] line = new String[1];
        Thread reader = new Thread(
                () -> {
                    try {
                        line[0] = out.readLine();
                    } catch (IOException e) {
                        line[0] = null;
                    }
                },
                "xvnc-displayfd");
        reader.setDaemon(true);
        reader.start();
        try {
            reader.join(START_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for Xvnc", e);
        }
        String display = line[0];
        return display == null || display.isBlank() ? null : display.trim();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    String display() {
        return display;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    /** Sets the X CLIPBOARD like a user's copy: xclip keeps running and serves it until someone takes it. */
    void setClipboard(String text) throws IOException {
        Process p = xclip("-quiet", "-selection", "clipboard", "-i").start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        clipboardOwners.add(p);
    }

    /** Reads the X CLIPBOARD like a user's paste; null when there is none or xclip gave up. */
    String readClipboard() throws IOException, InterruptedException {
        Process p = xclip("-o", "-selection", "clipboard")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(XCLIP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }

    private ProcessBuilder xclip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("xclip");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DISPLAY", display);
        env.remove("XAUTHORITY");
        return pb;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no Xvnc log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // torn down early: the processes were at least signalled
        }
    }

    private void stop() throws InterruptedException {
        for (Process p : clipboardOwners) {
            p.destroy();
        }
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        for (Process p : clipboardOwners) {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
