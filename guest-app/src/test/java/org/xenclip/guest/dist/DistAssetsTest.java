package org.xenclip.guest.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up assets the packaging installs from {@code guest-app/src/dist}: the console script run
 * against a fake sysfs with a fake {@code xenstore-read} first on PATH, the udev rule, unit and
 * autostart entry checked by the system's own validators.
 */
class DistAssetsTest {

    private static final Path DIST = Path.of("src/dist");
    private static final Path SCRIPT = DIST.resolve("bin/xen-console-setup");
    private static final Path RULE = DIST.resolve("udev/90-xenclip-channel.rules");
    private static final String NAME = "org.xenproject.guest.clipboard.0.1";

    @TempDir
    Path root;

    record Run(int exit, String out, String err) {}

    private Path fakeBin(String... keyValues) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\ncase \"$1\" in\n");
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            s.append("  '")
                    .append(kv, 0, eq)
                    .append("') echo '")
                    .append(kv.substring(eq + 1))
                    .append("' ;;\n");
        }
        s.append("  *) echo \"couldn't read $1\" >&2; exit 1 ;;\nesac\n");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path tool = bin.resolve("xenstore-read");
        Files.writeString(tool, s);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private void console(int id) throws IOException {
        Path c = Files.createDirectories(root.resolve("sys/bus/xen/devices/console-" + id));
        Files.writeString(c.resolve("nodename"), "device/console/" + id + "\n");
    }

    private Run run(Optional<Path> bin, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", bin.map(b -> b + ":").orElse("") + "/usr/bin:/bin");
        pb.environment().put("XEN_SYSFS", root.resolve("sys").toString());
        pb.environment().put("XEN_CHANNEL_DIR", root.resolve("dev/xen-channel").toString());
        pb.environment().put("XEN_DEV_DIR", "/dev");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void linksTheConsoleByItsXenStoreName() throws Exception {
        console(2);
        Path bin = fakeBin("device/console/2/name=" + NAME);
        Run r = run(Optional.of(bin), Map.of("DEVPATH", "/devices/console-2", "ACTION", "add"));
        assertThat(r.exit()).as(r.err()).isZero();
        Path link = root.resolve("dev/xen-channel/" + NAME);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/dev/hvc2"));

        Run removed = run(Optional.of(bin), Map.of("DEVPATH", "/devices/console-2", "ACTION", "remove"));
        assertThat(removed.exit()).isZero();
        assertThat(link).doesNotExist();
    }

    @Test
    void printsTheNameForTheUdevProgramMatch() throws Exception {
        console(3);
        Path bin = fakeBin("device/console/3/name=" + NAME);
        assertThat(run(Optional.of(bin), Map.of(), "--name", "3")).isEqualTo(new Run(0, NAME + "\n", ""));
        assertThat(run(Optional.of(bin), Map.of(), "--name", "4").exit()).isEqualTo(1);
    }

    @Test
    void refusesNamesThatWouldEscapeTheDirectory() throws Exception {
        console(1);
        Path bin = fakeBin("device/console/1/name=../../etc/passwd");
        Run r = run(Optional.of(bin), Map.of("DEVPATH", "/devices/console-1"));
        assertThat(r.err()).contains("console 1: unusable name '../../etc/passwd'");
        assertThat(root.resolve("dev/xen-channel")).doesNotExist();
    }

    @Test
    void saysWhichToolIsMissing() throws Exception {
        console(1);
        Run r = run(Optional.empty(), Map.of("DEVPATH", "/devices/console-1"));
        assertThat(r.exit()).isZero(); // a udev RUN program must not fail the event
        assertThat(r.err()).contains("xenstore-read not found (install xenstore-utils or xen-utils-common)");
    }

    @Test
    void ignoresTwoDigitConsoles() throws Exception {
        Run r = run(Optional.of(fakeBin()), Map.of("DEVPATH", "/devices/console-12"));
        assertThat(r.err()).contains("not a single-digit Xen console: DEVPATH='/devices/console-12'");
    }

    /** udev's own check where the system has it (systemd >= 254), otherwise a strict syntax check. */
    @Test
    void udevRuleIsValid() throws Exception {
        Optional<Path> udevadm = Optional.of(Path.of("/usr/bin/udevadm")).filter(Files::isExecutable);
        if (udevadm.isPresent() && supportsVerify(udevadm.get())) {
            Process p = new ProcessBuilder(udevadm.get().toString(), "verify", RULE.toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
        }
        // Each rule line: comma-separated KEY{attr}OP"value" pairs, known keys, matches before actions.
        Pattern pair = Pattern.compile("\\s*([A-Z_]+)(\\{[A-Za-z_]+\\})?\\s*(==|!=|\\+=|-=|:=|=)\\s*\"([^\"]*)\"\\s*");
        List<String> keys = List.of(
                "SUBSYSTEM", "KERNEL", "DEVPATH", "ACTION", "PROGRAM", "RESULT", "TAG", "ENV", "RUN", "SYMLINK");
        int rules = 0;
        for (String line : Files.readAllLines(RULE)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            rules++;
            for (String part : line.split(",(?=\\s*[A-Z_]+(\\{[A-Za-z_]+\\})?\\s*(==|!=|\\+=|-=|:=|=)\")", -1)) {
                Matcher m = pair.matcher(part);
                assertThat(m.matches()).as("rule fragment '%s'", part).isTrue();
                assertThat(keys).as("key in '%s'", part).contains(m.group(1));
            }
        }
        assertThat(rules).isEqualTo(2);
        String text = Files.readString(RULE);
        assertThat(text)
                .contains("DEVPATH==\"/devices/console-[0-9]\", RUN+=\"xen-console-setup\"")
                .contains("RESULT==\"" + NAME + "\"")
                .contains("TAG+=\"uaccess\"")
                .contains("ENV{ID_MM_DEVICE_IGNORE}=\"1\"");
    }

    private static boolean supportsVerify(Path udevadm) throws Exception {
        Process p = new ProcessBuilder(udevadm.toString(), "verify", "--help")
                .redirectErrorStream(true)
                .start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void systemdUnitVerifies() throws Exception {
        Path unitDir = Files.createDirectories(root.resolve("units"));
        // systemd-analyze insists the binary exists; everything else is checked as shipped
        String unit = Files.readString(DIST.resolve("systemd/xenclip-guest.service"))
                .replace("ExecStart=/usr/bin/xenclip-guest", "ExecStart=/bin/true");
        Path copy = Files.writeString(unitDir.resolve("xenclip-guest.service"), unit);
        Path runtime = Files.createDirectories(root.resolve("xdg-runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Path tool = Path.of("/usr/bin/systemd-analyze");
        assertThat(tool).as("systemd-analyze (Debian package: systemd)").isExecutable();
        ProcessBuilder pb =
                new ProcessBuilder(tool.toString(), "--user", "verify", copy.toString()).redirectErrorStream(true);
        pb.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(unit)
                .contains("PartOf=graphical-session.target")
                .contains("Restart=on-failure")
                .contains("WantedBy=graphical-session.target");
    }

    @Test
    void autostartEntryValidates() throws Exception {
        Path entry = DIST.resolve("autostart/xenclip-guest.desktop");
        Path tool = Path.of("/usr/bin/desktop-file-validate");
        assertThat(tool)
                .as("desktop-file-validate (Debian package: desktop-file-utils)")
                .isExecutable();
        Process p = new ProcessBuilder(tool.toString(), entry.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEmpty();
        assertThat(Files.readString(entry)).contains("NoDisplay=true").contains("Exec=/usr/bin/xenclip-guest");
    }
}
