package org.xenclip.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xenclip.channelsim.ChannelConfig;
import org.xenclip.channelsim.SimulatedChannel;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;

/**
 * The whole system for one test class: dom0's X server with the host app, the guest's X server with the
 * agent, the simulated channel between them, xclip as the user on each display. Apps are started, killed
 * and restarted by the test; each start gets its own log file under {@code target/e2e/<name>/}.
 */
final class Rig implements AutoCloseable {

    static final String VM = "vm1";
    /** The issue's convergence bound: after a fault both clipboards agree within this. */
    static final Duration CONVERGE = Duration.ofSeconds(5);
    /** A bound for hangs on the shared, heavily loaded build machine (not a speed check). */
    static final Duration HANG = Duration.ofSeconds(60);

    private static final Path HOST_JAR = jar("xenclip.hostJar", "host-app/target/xenclip-host.jar");
    private static final Path GUEST_JAR = jar("xenclip.guestJar", "guest-app/target/xenclip-guest.jar");

    /**
     * The JVM options the packages start the host app with (scripts/package.sh, without the packaged runtime's
     * paths): the suite runs the apps as users get them. C1 only and the serial collector also start faster.
     */
    private static final List<String> HOST_JVM =
            List.of("-Djdk.gtk.version=3", "-Xms32m", "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** The guest package's JVM options (scripts/package.sh), without its AppCDS archive (made by postinst). */
    private static final List<String> GUEST_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xms8m");
    /** For the test's own helper JVMs (copier, clipboard manager): short-lived, start-up is what counts. */
    private static final List<String> TOOL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    final Path dir;
    final XvfbServer dom0Display;
    final XvfbServer guestDisplay;
    final XClip dom0User;
    final XClip guestUser;
    final SimulatedChannel channel;
    private final Path configDir;
    private AppProcess host;
    private AppProcess guest;
    private int hostStarts;
    private int guestStarts;
    private final List<String> hostArgs = new ArrayList<>();
    private final List<Process> xsels = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int copiers;
    private AppProcess dom0Copier;
    private AppProcess guestCopier;

    private Rig(String name) throws IOException {
        dir = Path.of(System.getProperty("xenclip.e2eDir", "target/e2e"))
                .resolve(name)
                .toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        configDir = dir.resolve("config");
        Files.createDirectories(configDir);
        dom0Display = XvfbServer.start();
        guestDisplay = XvfbServer.start();
        dom0User = new XClip(dom0Display);
        guestUser = new XClip(guestDisplay);
        // sockets have a 108-byte path limit: keep them in a short temporary directory
        Path sockDir = Files.createTempDirectory("xc-e2e-");
        channel = SimulatedChannel.start(ChannelConfig.of(VM, sockDir.resolve(VM + ".sock"))
                .withDeviceLink(sockDir.resolve("xen-channel/org.xenproject.guest.clipboard.0.1")));
    }

    static Rig create(String name) {
        checkJar(HOST_JAR, "host-app");
        checkJar(GUEST_JAR, "guest-app");
        try {
            return new Rig(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the host's settings file (properties lines); only while the host is not running. */
    void hostSettings(String... lines) {
        if (host != null && host.isAlive()) {
            throw new IllegalStateException("settings are read at start: stop the host first");
        }
        try {
            Files.writeString(
                    configDir.resolve("settings.properties"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the host app with the VM in {@code mode}; returns once it logged that it started. */
    AppProcess startHost(String mode) {
        if (host != null && host.isAlive()) {
            throw new IllegalStateException("host already running");
        }
        hostArgs.clear();
        hostArgs.addAll(List.of(
                "--no-ui",
                "--no-xenstore",
                "--vm",
                VM + "=" + channel.socketPath() + ",mode=" + mode,
                "--config",
                configDir.toString()));
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(HOST_JVM);
        cmd.addAll(List.of("-Djava.util.logging.config.file=" + hostLogging(), "-jar", HOST_JAR.toString()));
        cmd.addAll(hostArgs);
        hostStarts++;
        host = AppProcess.start(
                "host#" + hostStarts,
                cmd,
                Map.of("DISPLAY", dom0Display.display()),
                dir.resolve("host-" + hostStarts + ".log"));
        AppProcess h = host;
        Await.until("the host app started" + diagnostics(), HANG, () -> {
            if (!h.isAlive()) {
                throw new AssertionError("host app exited at start\n" + h.tail(40));
            }
            return h.logText().contains("xenclip-host started");
        });
        return host;
    }

    /**
     * A logging configuration for the host app that adds its dom0 clipboard failures (logged at FINE, without
     * content) to its log: a read that fails or times out silently drops a copy, which a test must be able to
     * tell from a copy never made. Written once per rig.
     */
    private Path hostLogging() {
        Path file = dir.resolve("host-logging.properties");
        if (!Files.exists(file)) {
            try {
                Files.writeString(
                        file,
                        String.join(
                                "\n",
                                "handlers=java.util.logging.ConsoleHandler",
                                "java.util.logging.ConsoleHandler.level=FINE",
                                ".level=INFO",
                                "org.xenclip.host.BackendClipboard.level=FINE",
                                // sizes of what crosses the link ("sending N bytes"), never content
                                "org.xenclip.host.connection.VmConnection.level=FINE",
                                ""),
                        StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** Starts the guest agent on the device link; returns once its loop runs. */
    AppProcess startGuest(String... extra) {
        if (guest != null && guest.isAlive()) {
            throw new IllegalStateException("guest already running");
        }
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(GUEST_JVM);
        cmd.addAll(List.of(
                "-jar", GUEST_JAR.toString(), "--device", channel.devicePath().toString(), "--verbose"));
        cmd.addAll(List.of(extra));
        guestStarts++;
        guest = AppProcess.start(
                "guest#" + guestStarts,
                cmd,
                Map.of("DISPLAY", guestDisplay.display()),
                dir.resolve("guest-" + guestStarts + ".log"));
        AppProcess g = guest;
        Await.until("the guest agent started" + diagnostics(), HANG, () -> {
            if (!g.isAlive()) {
                throw new AssertionError("guest agent exited at start\n" + g.tail(40));
            }
            return g.logText().contains("device open, watching");
        });
        return guest;
    }

    AppProcess host() {
        return host;
    }

    AppProcess guest() {
        return guest;
    }

    /** Host log position, to await a (re)connection that happens after this moment. */
    int hostMark() {
        return host.logMark();
    }

    /** Waits until the host reports the VM's session established after {@code mark} of its current log. */
    void awaitConnected(int mark, Duration timeout) {
        AppProcess h = host;
        Await.until("the host app connected to the agent" + diagnostics(), timeout, () -> {
            String since = h.logSince(mark);
            return since.contains("VM " + VM + ": CONNECTED");
        });
    }

    /** Starts both apps in {@code mode} and waits for their session. */
    void startBoth(String mode) {
        startGuest();
        startHost(mode);
        awaitConnected(0, HANG);
    }

    /** The agent's log lines (--verbose) for what it decided to do with its clipboard at an establishment. */
    private static final List<String> GUEST_DECISIONS = List.of(
            "sending clipboard change of",
            "offering the clipboard of",
            "clipboard change not sent:",
            "kept until dom0 is connected",
            "not sent: over the limit",
            "marked secret by a password manager");

    /**
     * Waits for the start-up exchange of a new session to be over, so that a copy the test makes next is not
     * overwritten by it: at an establishment the agent offers its clipboard unless it came from dom0, and the
     * host either takes it and writes it into dom0's clipboard a moment later (replacing whatever the test
     * copied there meanwhile: xclip then exits having lost the selection), or, when it sent its own text on
     * the link, keeps its own and the agent writes that. Returns once the agent logged its decision after
     * {@code guestMark} and, if it offered its text ({@code guestText}, read before the host started) and the
     * host accepts, once both clipboards agree.
     */
    void awaitStartupExchange(int guestMark, Optional<String> guestText, boolean hostAccepts) {
        AppProcess g = guest;
        String decision = Await.value(
                "the agent's decision on its clipboard at the establishment" + diagnostics(),
                HANG,
                () -> {
                    String since = g.logSince(guestMark);
                    int connected = since.indexOf("connected to dom0");
                    if (connected < 0) {
                        return "";
                    }
                    String after = since.substring(connected);
                    return GUEST_DECISIONS.stream()
                            .filter(after::contains)
                            .min(java.util.Comparator.comparingInt(after::indexOf))
                            .orElse("");
                },
                d -> !d.isEmpty());
        boolean offered = decision.startsWith("sending") || decision.startsWith("offering");
        if (offered && hostAccepts && guestText.isPresent() && !guestText.get().isEmpty()) {
            // dom0 takes the offer, or, when it sent its own text on this link, the two crossed and dom0's
            // stands on both sides (docs/desktop-clipboard.md, "Reconnect"): either way the two agree after
            Await.until(
                    "both clipboards agree after the start-up exchange" + diagnostics(),
                    HANG,
                    () -> dom0Clipboard().isPresent() && dom0Clipboard().equals(guestClipboard()));
        }
    }

    /**
     * Waits until the agent has written every text it took from dom0 after {@code guestMark} ("received N bytes
     * from dom0" lines without ", not written", each followed by a "wrote N bytes from dom0 to" or a failed
     * write). With the AWT backend the change event of the agent's own write came after and had to be awaited
     * too (a second dom0 text meanwhile made the agent read the first back: docs/status.md, "A quick second
     * copy is rolled back"); the Xlib backend raises no change event for the agent's own takes of the
     * selection, so the write is the end of it. A test copies again only after this.
     */
    void awaitGuestHandledItsWrite(int guestMark) {
        AppProcess g = guest;
        Await.until("the agent wrote what it took from dom0" + diagnostics(), HANG, () -> {
            String since = g.logSince(guestMark);
            return count(since, GUEST_TOOK) <= count(since, GUEST_WROTE);
        });
    }

    private static final java.util.regex.Pattern GUEST_TOOK =
            java.util.regex.Pattern.compile("received \\d+ bytes from dom0$", java.util.regex.Pattern.MULTILINE);
    private static final java.util.regex.Pattern GUEST_WROTE =
            java.util.regex.Pattern.compile("bytes from dom0 to |writing to .* failed");

    private static int count(String log, java.util.regex.Pattern p) {
        int n = 0;
        java.util.regex.Matcher m = p.matcher(log);
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** How long the host app has to log the push it queued at a link (a thread hand-over, not a transfer). */
    private static final Duration PUSH_LOGGED = Duration.ofMillis(300);

    /**
     * Waits until the session that a fault broke is established again on both sides and its start-up exchange
     * is over, so that a copy made next is not crossed by it: by the sync rules a text the agent sends while
     * dom0's push of the link is on its way loses to dom0's (docs/desktop-clipboard.md, "Reconnect"), which is
     * not what a copy made after the fault is about. The marks are the host's and the agent's log positions
     * before the fault (0 for an app started since). Needs the host's connection log at FINE ({@link
     * #hostLogging}): "sending N bytes" is how a push shows.
     */
    void awaitLinkSettled(int hostMark, int guestMark) {
        AppProcess h = host;
        AppProcess g = guest;
        // the host's current session: its latest state line is CONNECTED (a session can fail right after its
        // CONNECTED line, on garbage a killed agent left in the channel, and start again)
        int hostSession = Await.value(
                        "the host app linked to the VM again" + diagnostics(),
                        HANG,
                        () -> sessionStart(h.logSince(hostMark)),
                        at -> at >= 0)
                .intValue();
        String decision = Await.value(
                "the agent's decision on its clipboard at the new session" + diagnostics(),
                HANG,
                () -> {
                    String since = g.logSince(guestMark);
                    int session = agentSessionStart(since);
                    if (session < 0 || !since.substring(session).contains("connected to dom0 (Unicode)")) {
                        return "";
                    }
                    // it decides at the first (legacy) establishment, before the upgrade to Unicode
                    String after = since.substring(session);
                    return GUEST_DECISIONS.stream()
                            .filter(after::contains)
                            .min(java.util.Comparator.comparingInt(after::indexOf))
                            .orElse("");
                },
                d -> !d.isEmpty());
        // the push, if the host makes one, is queued before the CONNECTED line is written and logged by the
        // connection's thread a moment later (or a moment before)
        long pushDeadline = System.nanoTime() + PUSH_LOGGED.toNanos();
        int push = -1;
        while (System.nanoTime() < pushDeadline) {
            push = pushSize(h.logSince(hostMark).substring(hostSession));
            if (push >= 0) {
                break;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        if (push >= 0) {
            String received = "received " + push + " bytes from dom0";
            String handled = Await.value(
                    "the agent received dom0's push of " + push + " bytes and wrote it" + diagnostics(),
                    HANG,
                    () -> {
                        String since = g.logSince(guestMark);
                        String session = since.substring(Math.max(0, agentSessionStart(since)));
                        int at = session.indexOf(received);
                        if (at < 0) {
                            return "";
                        }
                        String after = session.substring(at + received.length());
                        if (after.startsWith(", not written")) {
                            return "not written";
                        }
                        return after.contains("bytes from dom0 to ") || after.contains("writing to ") ? "written" : "";
                    },
                    r -> !r.isEmpty());
            if (handled.equals("written")) {
                awaitGuestHandledItsWrite(guestMark);
            }
        }
        if (decision.startsWith("sending") || decision.startsWith("offering")) {
            // the host takes the offer and writes it into dom0's clipboard, or the two crossed and the agent
            // writes dom0's: either way the two agree after
            Await.until(
                    "both clipboards agree after the start-up exchange" + diagnostics(),
                    HANG,
                    () -> dom0Clipboard().isPresent() && dom0Clipboard().equals(guestClipboard()));
        }
    }

    private static final java.util.regex.Pattern HOST_STATE =
            java.util.regex.Pattern.compile("VM " + VM + ": ([A-Z]+)");
    private static final java.util.regex.Pattern HOST_PUSH =
            java.util.regex.Pattern.compile(VM + ": sending (\\d+) bytes");

    /**
     * Where the host's current session starts in its log (its last state line before a run of CONNECTED ones),
     * or -1 while its latest state is not CONNECTED. Texts sent before are dropped, never sent, so every
     * "sending" after this point went out on this session.
     */
    private static int sessionStart(String hostLog) {
        java.util.regex.Matcher m = HOST_STATE.matcher(hostLog);
        int lastOther = 0;
        String last = null;
        while (m.find()) {
            last = m.group(1);
            if (!last.equals("CONNECTED")) {
                lastOther = m.start();
            }
        }
        return "CONNECTED".equals(last) ? lastOther : -1;
    }

    /** Where the agent's latest session starts in its log, or -1 before it first connected. */
    private static int agentSessionStart(String guestLog) {
        int legacy = guestLog.lastIndexOf("connected to dom0 (Latin-1");
        return legacy >= 0 ? legacy : guestLog.indexOf("connected to dom0");
    }

    /** The size the host's first "sending N bytes" names, or -1. */
    private static int pushSize(String hostSession) {
        java.util.regex.Matcher m = HOST_PUSH.matcher(hostSession);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    Optional<String> dom0Clipboard() {
        return dom0User.get(Selection.CLIPBOARD);
    }

    Optional<String> guestClipboard() {
        return guestUser.get(Selection.CLIPBOARD);
    }

    /** Waits until one side's clipboard holds {@code expected}, failing with both apps' log tails. */
    void awaitClipboard(String side, String expected, Duration timeout) {
        XClip user = side.equals("dom0") ? dom0User : guestUser;
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            // xclip 0.13 mishandles INCR from 1 MiB up (astrand/xclip#43): xsel reads the big ones
            last = Texts.utf8Size(expected) >= (1 << 20)
                    ? user.getWithXsel(Selection.CLIPBOARD)
                    : user.get(Selection.CLIPBOARD);
            if (last.isPresent() && last.get().equals(expected)) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
        throw new AssertionError("the " + side + " clipboard did not get the text (" + Texts.describe(expected)
                + ") within " + timeout.toMillis() + " ms; it holds " + Texts.describe(last.orElse(null))
                + diagnostics());
    }

    /**
     * Copies a large text with xsel (xclip 0.13's INCR transfers fail from 1 MiB up) and returns once the
     * selection's owner changed, without reading it back (a read-back would compete with the app's read).
     */
    void copyWithXsel(String side, String text) {
        XClip user = side.equals("dom0") ? dom0User : guestUser;
        long before = user.owner(Selection.CLIPBOARD);
        ProcessBuilder pb = new ProcessBuilder(
                        org.xenclip.desktop.testing.Tools.require("xsel", "xsel")
                                .toString(),
                        "--clipboard",
                        "--input",
                        "--nodetach")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        (side.equals("dom0") ? dom0Display : guestDisplay).configure(pb);
        Process p;
        try {
            p = pb.start();
            xsels.add(p);
            try (var in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("xsel owns the " + side + " clipboard", HANG, () -> user.owner(Selection.CLIPBOARD) != before);
    }

    /**
     * Copies a large text on one side with an application ({@link CopyMain}, in a JVM of its own) and
     * returns once it owns the clipboard, without reading it back. Use it rather than {@link #copyWithXsel} when
     * the test is about the apps, not about xsel: xsel's 4000-byte INCR chunks make a 1 MiB read outlast the
     * apps' read timeouts on a loaded machine (docs/status.md). The copier runs until the rig closes; the
     * previous one on that side is stopped once the new one owns the clipboard.
     */
    void copyWithApp(String side, String text) {
        XClip user = side.equals("dom0") ? dom0User : guestUser;
        long before = user.owner(Selection.CLIPBOARD);
        AppProcess p = startCopier(side, text);
        Await.until("the " + side + " copier owns the clipboard" + diagnostics(), HANG, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("the " + side + " copier exited\n" + p.tail(30));
            }
            return p.logText().contains("owned") && user.owner(Selection.CLIPBOARD) != before;
        });
    }

    /**
     * Starts {@link CopyMain} copying {@code text} on one side and returns at once; the previous copier on that
     * side is stopped, the new one runs until the rig closes.
     */
    private AppProcess startCopier(String side, String text) {
        int n = ++copiers;
        Path file = dir.resolve("copy-" + side + "-" + n + ".txt");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AppProcess previous = side.equals("dom0") ? dom0Copier : guestCopier;
        if (previous != null && previous.isAlive()) {
            previous.kill9(); // long since replaced by the apps' writes: nobody reads from it any more
        }
        AppProcess p = AppProcess.start(
                "copier-" + side + "#" + n,
                toolCommand(CopyMain.class, file.toString()),
                Map.of("DISPLAY", (side.equals("dom0") ? dom0Display : guestDisplay).display()),
                dir.resolve("copier-" + side + "-" + n + ".log"));
        if (side.equals("dom0")) {
            dom0Copier = p;
        } else {
            guestCopier = p;
        }
        return p;
    }

    /**
     * Asserts that a side's clipboard holds {@code text}; the failure names sizes and hashes, never content
     * (AssertJ would print both values).
     */
    void assertHolds(String side, String text) {
        Optional<String> now = side.equals("dom0") ? dom0Clipboard() : guestClipboard();
        if (!now.equals(Optional.of(text))) {
            throw new AssertionError("the " + side + " clipboard should hold " + Texts.describe(text) + " but holds "
                    + Texts.describe(now.orElse(null)) + diagnostics());
        }
    }

    /** Asserts that a side's clipboard does not hold {@code text}, naming sizes and hashes only. */
    void assertNotHolds(String side, String text) {
        // read with xsel: the side may hold a text of 1 MiB or more, which xclip 0.13 cannot read
        Optional<String> now = (side.equals("dom0") ? dom0User : guestUser).getWithXsel(Selection.CLIPBOARD);
        if (now.equals(Optional.of(text))) {
            throw new AssertionError("the " + side + " clipboard holds " + Texts.describe(text)
                    + ", which must not have crossed" + diagnostics());
        }
    }

    /** Both apps' log tails and the channel's counters, for assertion messages. */
    String diagnostics() {
        StringBuilder b = new StringBuilder("\n");
        try {
            b.append("channel: ").append(channel.stats()).append('\n');
        } catch (RuntimeException e) {
            b.append("channel: ").append(e).append('\n');
        }
        if (host != null) {
            b.append(host.tail(25));
        }
        if (guest != null) {
            b.append(guest.tail(25));
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (host != null && host.isAlive()) {
            host.kill9();
        }
        if (guest != null && guest.isAlive()) {
            guest.kill9();
        }
        xsels.forEach(Process::destroyForcibly);
        for (AppProcess copier : new AppProcess[] {dom0Copier, guestCopier}) {
            if (copier != null && copier.isAlive()) {
                copier.kill9();
            }
        }
        dom0User.close();
        guestUser.close();
        channel.close();
        dom0Display.close();
        guestDisplay.close();
    }

    /** A helper JVM of the test's own ({@code main} on this test's class path) with {@link #TOOL_JVM}. */
    static List<String> toolCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(TOOL_JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar(String property, String fallback) {
        String p = System.getProperty(property);
        return (p != null ? Path.of(p) : Path.of("..").resolve(fallback))
                .toAbsolutePath()
                .normalize();
    }

    private static void checkJar(Path jar, String module) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B -pl " + module
                    + " -am package -DskipTests, or run this module with -am)");
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
