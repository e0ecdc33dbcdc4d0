package org.xenclip.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javafx.application.Platform;

/**
 * {@code --test-hook}: lets an automated test play the VM's user without a mouse. Commands come on standard
 * input, one a line, and act through the window's own controls on the FX thread:
 *
 * <ul>
 *   <li>{@code copy <base64 of UTF-8 text>}: types the text into the field and presses "Copy in the VM";
 *   <li>{@code quit}: presses "Quit demo".
 * </ul>
 *
 * Reports go to standard output, one a line: {@code dir <path>} (the temporary directory, to check it is
 * removed), {@code window} (the VM window is on screen), {@code connected} (host app and agent in session),
 * and {@code shown <sha256 hex> <chars>} each time the window's read-only view shows new text. Only a hash:
 * clipboard content is never printed.
 *
 * <p>Its threads: {@code demo-test-hook-in} reads commands, {@code demo-test-hook-session} waits for the session.
 */
final class TestHook {

    private static final Logger LOG = Logger.getLogger(TestHook.class.getName());

    /** How long to wait for the session before reporting that it never came (the test then fails clearly). */
    private static final Duration SESSION_WAIT = Duration.ofMinutes(2);

    private final PrintStream out;
    private final InputStream in;
    private final DemoVm vm;

    TestHook(PrintStream out, InputStream in, DemoVm vm) {
        this.out = out;
        this.in = in;
        this.vm = vm;
        out.println("dir " + vm.directory());
    }

    /** Called on the FX thread once the VM window is shown. */
    void attach(GuestWindow window) {
        window.onShown(text -> out.println("shown " + sha256(text) + " " + text.length()));
        out.println("window");
        daemon("demo-test-hook-session", this::awaitSession).start();
        daemon("demo-test-hook-in", () -> readCommands(window)).start();
    }

    private void awaitSession() {
        long deadline = System.nanoTime() + SESSION_WAIT.toNanos();
        while (!(vm.agentConnected() && vm.stats().clientConnected())) {
            if (System.nanoTime() - deadline > 0) {
                out.println("no-session");
                return;
            }
            LockSupport.parkNanos(10_000_000L);
        }
        out.println("connected");
    }

    private void readCommands(GuestWindow window) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("copy ")) {
                    String text = new String(
                            Base64.getDecoder().decode(line.substring(5).trim()), StandardCharsets.UTF_8);
                    Platform.runLater(() -> window.typeAndCopy(text));
                } else if (line.equals("quit")) {
                    Platform.runLater(window::pressQuit);
                } else {
                    LOG.warning("test hook: unknown command of " + line.length() + " chars");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning("test hook: stopped reading commands: " + e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
