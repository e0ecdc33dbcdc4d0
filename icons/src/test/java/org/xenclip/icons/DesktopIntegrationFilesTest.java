package org.xenclip.icons;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The normal build's check on the packaging inputs (the dist module itself only builds with
 * -Ppackage): the files scripts/package.sh installs exist, and the menu entry names the icon by the
 * name this module's icons are installed under.
 */
class DesktopIntegrationFilesTest {

    /** Surefire runs in the module directory; the packaging inputs live beside it. */
    private static final Path ROOT = Path.of("..");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "dist/pom.xml",
                "dist/src/main/linux/xenclip-host.desktop",
                "dist/src/main/deb/copyright",
                "dist/src/main/deb/xenclip-host/control",
                "dist/src/main/deb/xenclip-guest/control",
                "dist/src/main/deb/xenclip-guest/postinst",
                "dist/src/main/deb/xenclip-guest/prerm",
                "dist/src/main/deb/xenclip-guest/postrm",
                "dist/src/test/resources/org/xenclip/dist/xenclip-host.contents",
                "dist/src/test/resources/org/xenclip/dist/xenclip-guest.contents",
                "scripts/package.sh",
                "scripts/render-icons.sh",
                "scripts/bench-guest-startup.py",
                "docs/install.md",
                "docs/benchmarks/guest-startup.md",
                // the guest agent's start-up assets, installed by the xenclip-guest package
                "guest-app/src/dist/udev/90-xenclip-channel.rules",
                "guest-app/src/dist/bin/xen-console-setup",
                "guest-app/src/dist/systemd/xenclip-guest.service",
                "guest-app/src/dist/autostart/xenclip-guest.desktop"
            })
    void packagingInputExists(String file) {
        assertThat(ROOT.resolve(file)).isRegularFile().isNotEmptyFile();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "scripts/package.sh",
                "scripts/render-icons.sh",
                "scripts/bench-guest-startup.py",
                "guest-app/src/dist/bin/xen-console-setup",
                "dist/src/main/deb/xenclip-guest/postinst",
                "dist/src/main/deb/xenclip-guest/prerm",
                "dist/src/main/deb/xenclip-guest/postrm"
            })
    void scriptIsExecutable(String file) {
        assertThat(Files.isExecutable(ROOT.resolve(file)))
                .as("%s is executable", file)
                .isTrue();
    }

    @Test
    void hostMenuEntryUsesTheInstalledIconAndLauncher() throws IOException {
        Map<String, String> entry = desktopEntry(ROOT.resolve("dist/src/main/linux/xenclip-host.desktop"));
        assertThat(entry)
                .containsEntry("Type", "Application")
                .containsEntry("Icon", Icons.APP_NAME)
                .containsEntry("Exec", "/usr/bin/xenclip-host")
                .containsEntry("Categories", "Utility;System;")
                .containsEntry("Terminal", "false")
                .containsKey("Name");
    }

    private static Map<String, String> desktopEntry(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).first().isEqualTo("[Desktop Entry]");
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            assertThat(eq).as("key=value line in %s: %s", file, line).isPositive();
            assertThat(keys.put(line.substring(0, eq), line.substring(eq + 1)))
                    .as("duplicate key in %s: %s", file, line)
                    .isNull();
        }
        return keys;
    }
}
