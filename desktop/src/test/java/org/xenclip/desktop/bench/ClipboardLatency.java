package org.xenclip.desktop.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.Tools;
import org.xenclip.desktop.testing.WaylandCompositor;
import org.xenclip.desktop.testing.WlClip;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.desktop.wayland.WaylandClipboard;
import org.xenclip.desktop.x11.X11Clipboard;

/**
 * Measures the desktop clipboard's latencies against real parts: a user's copy (xclip / wl-copy started) to
 * our change event, our read after the event (small and 1 MiB), and our own write (taking the selection). Writes a
 * table to the file named by the first argument. Run through {@code desktop/bench/clipboard-latency.sh}.
 */
public final class ClipboardLatency {

    private static final int ROUNDS = 30;
    private static final Duration T = Duration.ofSeconds(20);

    private ClipboardLatency() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "clipboard-latency.txt");
        List<String> lines = new ArrayList<>();
        lines.add("# desktop clipboard latency, " + Instant.now() + ", " + ROUNDS + " rounds each, ms");
        lines.add(String.format("%-44s %8s %8s %8s", "measure", "median", "p95", "max"));
        XvfbServer xvfb = XvfbServer.shared();
        try (X11Clipboard x11 = X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD);
                XClip user = new XClip(xvfb)) {
            // xsel copies the 1 MiB text: xclip 0.13's INCR transfer fails from 1 MiB up (astrand/xclip#43)
            measure(
                    lines,
                    "x11-xfixes",
                    x11,
                    text -> user.setNoWait(Selection.CLIPBOARD, text),
                    text -> user.setWithXsel(Selection.CLIPBOARD, text));
        }
        try (WaylandCompositor sway = WaylandCompositor.sway();
                WlClip user = new WlClip(sway);
                WaylandClipboard wayland = WaylandClipboard.open(
                        sway.environment(),
                        Selection.CLIPBOARD,
                        Tools.require("wl-paste", "wl-clipboard"),
                        Tools.require("wl-copy", "wl-clipboard"))) {
            measure(
                    lines,
                    "wayland-wl-clipboard",
                    wayland,
                    text -> user.setNoWait(Selection.CLIPBOARD, text),
                    text -> user.set(Selection.CLIPBOARD, text));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
        System.exit(0); // whatever a backend left running must not keep the benchmark alive
    }

    private static void measure(
            List<String> lines,
            String name,
            ClipboardBackend backend,
            Consumer<String> userCopy,
            Consumer<String> userCopyBig)
            throws ClipboardException {
        AtomicLong events = new AtomicLong();
        AtomicLong lastEvent = new AtomicLong();
        backend.watch(() -> {
            lastEvent.set(System.nanoTime());
            events.incrementAndGet();
        });
        List<Long> copyToEvent = new ArrayList<>();
        List<Long> readSmall = new ArrayList<>();
        List<Long> readBig = new ArrayList<>();
        List<Long> writes = new ArrayList<>();
        String big = "0123456789abcdef".repeat(1 << 16); // 1 MiB of ASCII
        for (int i = 0; i < ROUNDS; i++) {
            long before = events.get();
            long start = System.nanoTime();
            userCopy.accept("copy " + i);
            Await.until("event", T, () -> events.get() > before);
            copyToEvent.add(lastEvent.get() - start);

            long readStart = System.nanoTime();
            backend.read(T);
            readSmall.add(System.nanoTime() - readStart);

            long writeStart = System.nanoTime();
            backend.write("ours " + i, T);
            writes.add(System.nanoTime() - writeStart);
        }
        for (int i = 0; i < 5; i++) {
            userCopyBig.accept(i + big.substring(1));
            long readStart = System.nanoTime();
            backend.read(T);
            readBig.add(System.nanoTime() - readStart);
        }
        lines.add(row(name + ": user copy -> change event", copyToEvent));
        lines.add(row(name + ": read after event (small)", readSmall));
        lines.add(row(name + ": read 1 MiB (5 rounds)", readBig));
        lines.add(row(name + ": own write", writes));
    }

    private static String row(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(
                "%-44s %8.1f %8.1f %8.1f",
                name,
                sorted.get(sorted.size() / 2) / 1e6,
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.95) - 1)) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6);
    }
}
