package org.xenclip.desktop.testing;

import java.awt.Toolkit;
import java.awt.datatransfer.Clipboard;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.FlavorMap;
import java.awt.datatransfer.SystemFlavorMap;
import java.awt.datatransfer.Transferable;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xenclip.desktop.Selection;

/**
 * A password manager copying a password: a separate small X client (a child JVM running {@link #main}) that
 * owns the selection with the text and the {@code x-kde-passwordManagerHint} target holding "secret", as
 * KeePassXC does. xclip can offer only one target, hence this. Close it to end the child.
 */
public final class SecretOwner implements AutoCloseable {

    static final String HINT_TARGET = "x-kde-passwordManagerHint";

    private final Process process;

    private SecretOwner(Process process) {
        this.process = process;
    }

    /**
     * Starts the child on {@code display}, returning once it owns {@code selection} (the target list, read
     * through xclip, names the hint).
     */
    public static SecretOwner start(String display, Selection selection, String text) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Djava.awt.headless=false",
                "-cp",
                System.getProperty("java.class.path"),
                SecretOwner.class.getName(),
                selection.name()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("DISPLAY", display);
        builder.environment().remove("WAYLAND_DISPLAY");
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the secret owner: " + e.getMessage(), e);
        }
        SecretOwner owner = new SecretOwner(process);
        try (XClip probe = new XClip(display)) {
            Process child = process;
            Await.until("secret owner to own " + selection, Duration.ofSeconds(30), () -> {
                if (!child.isAlive()) {
                    throw new IllegalStateException("secret owner exited with " + child.exitValue());
                }
                return probe.targets(selection).contains(HINT_TARGET);
            });
        } catch (RuntimeException | AssertionError e) {
            owner.close();
            throw e;
        }
        return owner;
    }

    /** Whether the child still runs (it serves the selection until killed or replaced). */
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The child: reads the text from stdin, owns the selection, and serves it until killed. */
    public static void main(String[] args) throws Exception {
        Selection selection = Selection.valueOf(args[0]);
        String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        DataFlavor hint =
                new DataFlavor("application/x-kde-passwordmanagerhint;class=java.io.InputStream", "password hint");
        FlavorMap map = SystemFlavorMap.getDefaultFlavorMap();
        ((SystemFlavorMap) map).addUnencodedNativeForFlavor(hint, HINT_TARGET);
        ((SystemFlavorMap) map).addFlavorForUnencodedNative(HINT_TARGET, hint);
        Toolkit toolkit = Toolkit.getDefaultToolkit();
        Clipboard clipboard =
                selection == Selection.CLIPBOARD ? toolkit.getSystemClipboard() : toolkit.getSystemSelection();
        clipboard.setContents(
                new Transferable() {
                    @Override
                    public DataFlavor[] getTransferDataFlavors() {
                        return new DataFlavor[] {DataFlavor.stringFlavor, hint};
                    }

                    @Override
                    public boolean isDataFlavorSupported(DataFlavor flavor) {
                        return flavor.equals(DataFlavor.stringFlavor) || flavor.equals(hint);
                    }

                    @Override
                    public Object getTransferData(DataFlavor flavor) throws UnsupportedFlavorException {
                        if (flavor.equals(DataFlavor.stringFlavor)) {
                            return text;
                        }
                        if (flavor.equals(hint)) {
                            InputStream secret = new ByteArrayInputStream("secret".getBytes(StandardCharsets.US_ASCII));
                            return secret;
                        }
                        throw new UnsupportedFlavorException(flavor);
                    }
                },
                null);
        // AWT's toolkit thread serves the selection; keep the JVM alive until killed
        Thread.currentThread().join();
    }
}
