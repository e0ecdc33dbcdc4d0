package org.xenclip.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tests the built .deb files (scripts/package.sh, run by {@code ./mvnw -Ppackage verify}) with the
 * real Debian tools: {@code dpkg-deb -c/-f/-e} for contents and control data, {@code dpkg -x} into a
 * scratch root from which the programs run, {@code systemctl --root} against that root.
 */
class PackagesIT {

    private static final long PROCESS_TIMEOUT_SECONDS = 120;

    /** {@code -rw-r--r-- root/root  123 2026-01-01 00:00 ./usr/bin/x -> target} */
    private static final Pattern DPKG_C_LINE =
            Pattern.compile("^(\\S+)\\s+(\\S+)\\s+\\d+\\s+\\S+\\s+\\S+\\s+\\./(.*?)(?: -> (.*))?$");

    private static Path debs;
    private static Path scratchRoot;

    record Entry(String mode, String owner, String path, String linkTarget) {}

    @BeforeAll
    static void installIntoScratchRoot() throws IOException, InterruptedException {
        String dir = System.getProperty("xenclip.debs");
        if (dir == null) {
            fail("system property xenclip.debs is not set; run through ./mvnw -Ppackage verify");
        }
        debs = Path.of(dir);
        requireTool("dpkg-deb", "dpkg");
        requireTool("dpkg", "dpkg");
        scratchRoot = Files.createTempDirectory("xenclip-scratch-root");
        for (String pkg : List.of("xenclip-host", "xenclip-guest")) {
            Result extract = run(List.of("dpkg", "-x", deb(pkg).toString(), scratchRoot.toString()), Map.of());
            assertThat(extract.exitCode())
                    .as("dpkg -x %s: %s", pkg, extract.output())
                    .isZero();
        }
    }

    @AfterAll
    static void removeScratchRoot() throws IOException {
        if (scratchRoot != null) {
            deleteTree(scratchRoot);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xenclip-host", "xenclip-guest"})
    void packageHoldsEveryRequiredEntryAndNothingElsewhere(String pkg) throws Exception {
        Map<String, Entry> entries = contents(pkg);
        List<String> prefixes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String line : expectedContents(pkg)) {
            if (line.startsWith("under ")) {
                prefixes.add(line.substring("under ".length()));
                continue;
            }
            String[] parts = line.split(" ", 2);
            String mode = parts[0];
            String rest = parts[1];
            String path = rest.contains(" -> ") ? rest.substring(0, rest.indexOf(" -> ")) : rest;
            String target = rest.contains(" -> ") ? rest.substring(rest.indexOf(" -> ") + 4) : null;
            Entry entry = entries.get(path);
            if (entry == null) {
                problems.add("missing " + path);
            } else if (!entry.mode().equals(mode)) {
                problems.add(path + " has mode " + entry.mode() + ", expected " + mode);
            } else if (target != null && !target.equals(entry.linkTarget())) {
                problems.add(path + " links to " + entry.linkTarget() + ", expected " + target);
            }
        }
        for (Entry entry : entries.values()) {
            if (!entry.owner().equals("root/root")) {
                problems.add(entry.path() + " is owned by " + entry.owner() + ", expected root/root");
            }
            boolean placed = entry.mode().startsWith("d")
                    || prefixes.stream().anyMatch(prefix -> entry.path().startsWith(prefix));
            if (!placed) {
                problems.add(entry.path() + " lies outside " + prefixes);
            }
        }
        assertThat(problems)
                .as("contents of %s against %s.contents", deb(pkg), pkg)
                .isEmpty();
    }

    @Test
    void hostDependsOnGtkAndNotOnXclip() throws Exception {
        List<String> depends = packageList(field("xenclip-host", "Depends"));
        assertThat(depends).contains("libgtk-3-0", "libgl1", "libx11-6", "libxtst6", "libc6");
        assertThat(depends).doesNotContain("xclip", "xsel", "default-jre", "openjdk-17-jre");
        assertThat(field("xenclip-host", "Package")).isEqualTo("xenclip-host");
        assertThat(field("xenclip-host", "Architecture")).isEqualTo("amd64");
    }

    @Test
    void guestDependsOnX11OnlyAndRecommendsWlClipboard() throws Exception {
        List<String> depends = packageList(field("xenclip-guest", "Depends"));
        assertThat(depends).contains("libx11-6", "libxfixes3", "libc6");
        // Headless agent: no JavaFX, so no GTK; xclip is a test tool, never needed at run time.
        assertThat(depends).doesNotContain("libgtk-3-0", "xclip", "xsel", "wl-clipboard");
        assertThat(packageList(field("xenclip-guest", "Recommends"))).contains("wl-clipboard");
        assertThat(field("xenclip-guest", "Package")).isEqualTo("xenclip-guest");
    }

    @Test
    void guestAutostartIsAConffileAndMaintainerScriptsParse() throws Exception {
        Path control = Files.createTempDirectory("xenclip-control");
        try {
            Result result =
                    run(List.of("dpkg-deb", "-e", deb("xenclip-guest").toString(), control.toString()), Map.of());
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(Files.readAllLines(control.resolve("conffiles")))
                    .containsExactly("/etc/xdg/autostart/xenclip-guest.desktop");
            for (String script : List.of("postinst", "prerm", "postrm")) {
                Path file = control.resolve(script);
                assertThat(Files.isExecutable(file))
                        .as("%s is executable", script)
                        .isTrue();
                Result syntax = run(List.of("sh", "-n", file.toString()), Map.of());
                assertThat(syntax.exitCode())
                        .as("sh -n %s: %s", script, syntax.output())
                        .isZero();
            }
            assertThat(Files.readString(control.resolve("md5sums")))
                    .contains("usr/lib/xenclip-guest/lib/app/xenclip-guest.jar");
        } finally {
            deleteTree(control);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xenclip-host", "xenclip-guest"})
    void programRunsFromScratchRootAndPrintsUsage(String pkg) throws Exception {
        Path launcher = scratchRoot.resolve("usr/bin/" + pkg);
        assertThat(launcher).as("launcher in the scratch root").exists();
        Map<String, String> env = new LinkedHashMap<>();
        // --help must not need a display.
        env.put("DISPLAY", "");
        env.put("WAYLAND_DISPLAY", "");
        Result result = run(List.of(launcher.toString(), "--help"), env);
        assertThat(result.exitCode())
                .as("%s --help exit code; output:%n%s", launcher, result.output())
                .isZero();
        assertThat(result.output().toLowerCase(Locale.ROOT))
                .as("%s --help output", launcher)
                .contains("usage");
    }

    @Test
    void hostLauncherCapsTheHeap() throws IOException {
        // With the JVM's default heap (a quarter of the RAM as ceiling) 200 VMs took 384 MiB, over the 300 MB
        // target (docs/benchmarks/host.md); the launcher carries the measured options.
        List<String> cfg = Files.readAllLines(scratchRoot.resolve("usr/lib/xenclip-host/lib/app/xenclip-host.cfg"));
        assertThat(cfg)
                .contains(
                        "java-options=-Djdk.gtk.version=3",
                        "java-options=-Xms32m",
                        "java-options=-Xmx160m",
                        "java-options=-XX:+UseSerialGC",
                        "java-options=-XX:TieredStopAtLevel=1");
    }

    @Test
    void packagedHostStartsItsWindowOnXvfbWithTheJlinkRuntime() throws Exception {
        // --help touches few classes; this starts the engine and JavaFX, which is where a module
        // missing from the jlink runtime would show (NoClassDefFoundError, ServiceConfigurationError).
        requireTool("Xvfb", "xvfb");
        Process xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-nolisten", "tcp")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        Path config = Files.createTempDirectory("xenclip-config");
        Path log = Files.createTempFile("xenclip-host", ".log");
        Process host = null;
        try {
            String display = ":" + readLine(xvfb.getInputStream(), 30);
            ProcessBuilder builder = new ProcessBuilder(
                            scratchRoot.resolve("usr/bin/xenclip-host").toString(),
                            "--no-xenstore",
                            "--vm",
                            "probe=" + config.resolve("absent.sock"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("DISPLAY", display);
            builder.environment().put("XDG_CONFIG_HOME", config.toString());
            builder.environment().remove("WAYLAND_DISPLAY");
            builder.environment().remove("DBUS_SESSION_BUS_ADDRESS");
            host = builder.start();
            // The window is the UI when there is no tray: its choice is logged once JavaFX runs.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROCESS_TIMEOUT_SECONDS);
            String output = Files.readString(log);
            while (!output.contains("tray: none available") && host.isAlive() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100); // poll interval of the log, not a synchronisation
                output = Files.readString(log);
            }
            assertThat(output)
                    .as("packaged xenclip-host log on Xvfb %s", display)
                    .contains("xenclip-host started", "tray: none available")
                    .doesNotContain(
                            "NoClassDefFoundError",
                            "ClassNotFoundException",
                            "ServiceConfigurationError",
                            "UnsatisfiedLinkError",
                            "Exception in");
            assertThat(host.isAlive())
                    .as("host still running; log:%n%s", output)
                    .isTrue();
        } finally {
            if (host != null) {
                host.destroy();
                host.waitFor(30, TimeUnit.SECONDS);
                host.destroyForcibly();
            }
            xvfb.destroy();
            xvfb.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
            deleteTree(config);
        }
    }

    /** One line from {@code in} (Xvfb's -displayfd answer), or a failure after {@code seconds}. */
    private static String readLine(InputStream in, int seconds) throws Exception {
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            StringBuilder text = new StringBuilder();
            try {
                for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                    text.append((char) c);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return text.toString().strip();
        });
        try {
            String display = line.get(seconds, TimeUnit.SECONDS);
            assertThat(display).as("display number from Xvfb -displayfd").matches("[0-9]+");
            return display;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Xvfb reported no display within " + seconds + " s", e);
        }
    }

    @Test
    void guestPostinstWorksWithoutSystemdAndMakesAUsableCdsArchive() throws Exception {
        Path root = Files.createTempDirectory("xenclip-root");
        Path bin = Files.createTempDirectory("xenclip-bin");
        try {
            Path control = extractGuest(root);
            // A chroot or image build: no systemctl, no udevadm; only the basic tools on PATH.
            for (String tool : List.of("mkdir", "rm", "find")) {
                Files.createSymbolicLink(bin.resolve(tool), Path.of(which(tool)));
            }
            Result postinst = run(
                    List.of("/bin/sh", control.resolve("postinst").toString(), "configure", ""),
                    Map.of("DPKG_ROOT", root.toString(), "PATH", bin.toString()));
            assertThat(postinst.exitCode())
                    .as("postinst: %s", postinst.output())
                    .isZero();
            assertThat(postinst.output()).contains("systemctl not found");

            Path jsa = root.resolve("var/lib/xenclip-guest/xenclip-guest.jsa");
            assertThat(jsa).as("AppCDS archive made by postinst").isRegularFile();
            // -Xshare:on refuses to start unless the archive maps and matches the class path.
            Path app = root.resolve("usr/lib/xenclip-guest");
            Result withArchive = run(
                    List.of(
                            app.resolve("lib/runtime/bin/java").toString(),
                            "-Xshare:on",
                            "-XX:SharedArchiveFile=" + jsa,
                            "-cp",
                            app.resolve("lib/app/xenclip-guest.jar").toString(),
                            mainClass(app),
                            "--help"),
                    Map.of());
            assertThat(withArchive.exitCode())
                    .as("--help with -Xshare:on: %s", withArchive.output())
                    .isZero();
            assertThat(withArchive.output().toLowerCase(Locale.ROOT)).contains("usage");
        } finally {
            deleteTree(root);
            deleteTree(bin);
        }
    }

    @Test
    void guestUnitIsEnabledGloballyOnFirstInstallOnlyAndDisabledOnRemove() throws Exception {
        requireTool("systemctl", "systemd");
        Path root = Files.createTempDirectory("xenclip-root");
        try {
            Path control = extractGuest(root);
            Map<String, String> env = Map.of("DPKG_ROOT", root.toString());
            Path link = root.resolve("etc/systemd/user/graphical-session.target.wants/xenclip-guest.service");

            Result install = run(List.of("/bin/sh", control.resolve("postinst").toString(), "configure", ""), env);
            assertThat(install.exitCode())
                    .as("postinst configure: %s", install.output())
                    .isZero();
            assertThat(link).as("enablement link after the first install").isSymbolicLink();
            assertThat(Files.readSymbolicLink(link).toString())
                    .isEqualTo("/usr/lib/systemd/user/xenclip-guest.service");

            Result remove = run(List.of("/bin/sh", control.resolve("prerm").toString(), "remove"), env);
            assertThat(remove.exitCode())
                    .as("prerm remove: %s", remove.output())
                    .isZero();
            assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("link after prerm remove")
                    .isFalse();

            // An upgrade keeps an administrator's 'disable'.
            Result upgrade = run(List.of("/bin/sh", control.resolve("postinst").toString(), "configure", "0.0.9"), env);
            assertThat(upgrade.exitCode())
                    .as("postinst upgrade: %s", upgrade.output())
                    .isZero();
            assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .as("link after upgrade")
                    .isFalse();

            Result purge = run(List.of("/bin/sh", control.resolve("postrm").toString(), "purge"), env);
            assertThat(purge.exitCode()).as("postrm purge: %s", purge.output()).isZero();
            assertThat(root.resolve("var/lib/xenclip-guest")).doesNotExist();
        } finally {
            deleteTree(root);
        }
    }

    /** Unpacks the guest package into {@code root}; returns the directory holding its control files. */
    private static Path extractGuest(Path root) throws Exception {
        Result files = run(List.of("dpkg", "-x", deb("xenclip-guest").toString(), root.toString()), Map.of());
        assertThat(files.exitCode()).as(files.output()).isZero();
        Path control = root.resolve("DEBIAN");
        Result scripts = run(List.of("dpkg-deb", "-e", deb("xenclip-guest").toString(), control.toString()), Map.of());
        assertThat(scripts.exitCode()).as(scripts.output()).isZero();
        return control;
    }

    private static String mainClass(Path app) throws IOException {
        return Files.readAllLines(app.resolve("lib/app/xenclip-guest.cfg")).stream()
                .filter(l -> l.startsWith("app.mainclass="))
                .map(l -> l.substring("app.mainclass=".length()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no app.mainclass in xenclip-guest.cfg"));
    }

    private static String which(String tool) throws IOException, InterruptedException {
        Result result = run(List.of("sh", "-c", "command -v " + tool), Map.of());
        assertThat(result.exitCode()).as("%s on PATH", tool).isZero();
        return result.output().strip();
    }

    @ParameterizedTest
    @ValueSource(strings = {"usr/share/applications/xenclip-host.desktop", "etc/xdg/autostart/xenclip-guest.desktop"})
    void desktopFilesValidate(String file) throws Exception {
        requireTool("desktop-file-validate", "desktop-file-utils");
        Result result =
                run(List.of("desktop-file-validate", scratchRoot.resolve(file).toString()), Map.of());
        assertThat(result.exitCode())
                .as("desktop-file-validate %s: %s", file, result.output())
                .isZero();
        assertThat(result.output()).doesNotContain("error:");
    }

    @Test
    void installedIconsHaveTheirDirectorysSize() throws IOException {
        Path hicolor = scratchRoot.resolve("usr/share/icons/hicolor");
        Pattern sizeDir = Pattern.compile("(\\d+)x(\\d+)");
        int checked = 0;
        try (Stream<Path> files = Files.walk(hicolor)) {
            for (Path png : files.filter(p -> p.toString().endsWith(".png")).toList()) {
                Matcher matcher =
                        sizeDir.matcher(hicolor.relativize(png).getName(0).toString());
                assertThat(matcher.matches()).as("size directory of %s", png).isTrue();
                BufferedImage image = ImageIO.read(png.toFile());
                assertThat(image).as("decoded %s", png).isNotNull();
                assertThat(image.getWidth()).as("width of %s", png).isEqualTo(Integer.parseInt(matcher.group(1)));
                assertThat(image.getHeight()).as("height of %s", png).isEqualTo(Integer.parseInt(matcher.group(2)));
                checked++;
            }
        }
        // 8 sizes x (app icon + 5 tray states)
        assertThat(checked).isEqualTo(48);
    }

    private static Path deb(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(debs)) {
            List<Path> found = files.filter(p -> {
                        String name = p.getFileName().toString();
                        return name.startsWith(pkg + "_") && name.endsWith(".deb");
                    })
                    .toList();
            assertThat(found)
                    .as("%s_*.deb in %s (built by scripts/package.sh)", pkg, debs)
                    .hasSize(1);
            return found.get(0);
        }
    }

    private static Map<String, Entry> contents(String pkg) throws Exception {
        Result result = run(List.of("dpkg-deb", "-c", deb(pkg).toString()), Map.of());
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String line : result.output().split("\n")) {
            Matcher matcher = DPKG_C_LINE.matcher(line);
            assertThat(matcher.matches()).as("dpkg-deb -c line: %s", line).isTrue();
            String path = "/" + matcher.group(3);
            entries.put(path, new Entry(matcher.group(1), matcher.group(2), path, matcher.group(4)));
        }
        return entries;
    }

    private static List<String> expectedContents(String pkg) throws IOException {
        try (InputStream in = PackagesIT.class.getResourceAsStream(pkg + ".contents")) {
            assertThat(in).as("%s.contents on the test class path", pkg).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }
    }

    private static String field(String pkg, String name) throws Exception {
        Result result = run(List.of("dpkg-deb", "-f", deb(pkg).toString(), name), Map.of());
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output().strip();
    }

    /** "a, b (>= 1), c | d" -> [a, b, c, d] */
    private static List<String> packageList(String field) {
        List<String> names = new ArrayList<>();
        for (String alternative : field.split("[,|]")) {
            String name = alternative.strip().replaceAll("\\s*\\(.*\\)$", "");
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }

    record Result(int exitCode, String output) {}

    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Path log = Files.createTempFile("xenclip-it", ".log");
        try {
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(
                        "%s did not finish within %d s; output:%n%s",
                        command, PROCESS_TIMEOUT_SECONDS, Files.readString(log));
            }
            return new Result(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void requireTool(String tool, String debianPackage) throws IOException, InterruptedException {
        Result which = run(List.of("sh", "-c", "command -v " + tool), Map.of());
        if (which.exitCode() != 0) {
            fail("%s not found: install the Debian package %s", tool, debianPackage);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
