package org.xenclip.host.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.testing.Await;
import org.xenclip.host.vm.SyncMode;

class SettingsStoreTest {

    @TempDir
    Path dir;

    @Test
    void missingFileMeansDefaultsAndNoProblem() {
        try (SettingsStore s = SettingsStore.open(dir, Duration.ofMillis(50), m -> {})) {
            assertThat(s.current()).isEqualTo(Settings.defaults());
            assertThat(s.loadProblem()).isEmpty();
        }
        assertThat(dir.resolve(SettingsStore.FILE_NAME)).doesNotExist();
    }

    @Test
    void savesAfterDebounceAndReadsBack() throws Exception {
        Path file = dir.resolve(SettingsStore.FILE_NAME);
        try (SettingsStore s = SettingsStore.open(dir, Duration.ofMillis(100), m -> {})) {
            s.update(x ->
                    x.withMode("web", SyncMode.BOTH).withShareBetweenVms(true).withMaxTextBytes(4096));
            Await.until("the debounced save", () -> Files.exists(file));
            try (SettingsStore again = SettingsStore.open(dir, Duration.ofMillis(100), m -> {})) {
                assertThat(again.current()).isEqualTo(s.current());
                assertThat(again.current().modeOf("web")).contains(SyncMode.BOTH);
            }
        }
        assertThat(Files.readString(file)).contains("vm.web.mode=both\n", "share-between-vms=true\n");
        try (var list = Files.list(dir)) {
            assertThat(list.map(p -> p.getFileName().toString()).toList())
                    .as("no temporary files left behind")
                    .containsExactly(SettingsStore.FILE_NAME);
        }
    }

    @Test
    void burstOfChangesIsOneWrite() throws Exception {
        Path file = dir.resolve(SettingsStore.FILE_NAME);
        try (SettingsStore s = SettingsStore.open(dir, Duration.ofMillis(300), m -> {})) {
            for (int i = 0; i < 20; i++) {
                boolean on = i % 2 == 0;
                s.update(x -> x.withShareBetweenVms(on));
            }
            assertThat(file).as("nothing written before the debounce").doesNotExist();
            Await.until("the debounced save", () -> Files.exists(file));
            assertThat(Files.readString(file)).contains("share-between-vms=false\n");
        }
    }

    @Test
    void flushWritesPendingChangeAtClose() throws Exception {
        Path file = dir.resolve(SettingsStore.FILE_NAME);
        SettingsStore s = SettingsStore.open(dir, Duration.ofHours(1), m -> {});
        s.update(x -> x.withPaused(true));
        s.close();
        assertThat(Files.readString(file)).contains("paused=true\n");
    }

    @Test
    void brokenFileIsReportedKeptAsideAndReplacedByDefaults() throws Exception {
        Path file = dir.resolve(SettingsStore.FILE_NAME);
        Files.writeString(file, "default-mode=sideways\n");
        List<String> problems = new ArrayList<>();
        try (SettingsStore s = SettingsStore.open(dir, Duration.ofMillis(50), problems::add)) {
            assertThat(s.current()).isEqualTo(Settings.defaults());
            String expected = "settings file " + file + " is broken (key 'default-mode' value 'sideways': mode"
                    + " 'sideways' is not one of off, to-guest, from-guest, both); it was kept as " + file
                    + ".broken and the defaults are used";
            assertThat(problems).containsExactly(expected);
            assertThat(s.loadProblem()).contains(expected);
            Await.until("defaults written over the broken file", () -> {
                try {
                    return Files.exists(file) && Files.readString(file).contains("default-mode=off");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
        assertThat(Files.readString(dir.resolve("settings.properties.broken"))).isEqualTo("default-mode=sideways\n");
    }

    @Test
    void notUtf8IsBroken() throws Exception {
        Files.write(dir.resolve(SettingsStore.FILE_NAME), new byte[] {(byte) 0xff, (byte) 0xfe, 'a'});
        List<String> problems = new ArrayList<>();
        try (SettingsStore s = SettingsStore.open(dir, Duration.ofMillis(50), problems::add)) {
            assertThat(s.current()).isEqualTo(Settings.defaults());
        }
        assertThat(problems).singleElement().asString().contains("is broken (not UTF-8 text)");
    }

    @Test
    void unwritableDirectoryIsReportedNotFatal() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x", StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        SettingsStore s = SettingsStore.open(notADir.resolve("xenclip"), Duration.ofHours(1), problems::add);
        s.update(x -> x.withPaused(true));
        s.close();
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .startsWith("cannot read settings file " + notADir.resolve("xenclip/settings.properties"));
        assertThat(problems.get(1)).startsWith("could not save settings to ");
        assertThat(s.current().paused()).isTrue();
    }

    @Test
    void defaultDirectoryFollowsXdgConfigHome() {
        assertThat(SettingsStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/home/u")))
                .isEqualTo(Path.of("/x/cfg/xenclip"));
        assertThat(SettingsStore.defaultDirectory(Map.of("HOME", "/home/u")))
                .isEqualTo(Path.of("/home/u/.config/xenclip"));
        assertThat(SettingsStore.defaultDirectory(Map.of("XDG_CONFIG_HOME", "relative", "HOME", "/home/u")))
                .as("a relative XDG_CONFIG_HOME is invalid per the spec and ignored")
                .isEqualTo(Path.of("/home/u/.config/xenclip"));
    }

    @Test
    void staticVmsAndSocketDirRoundTrip() throws Exception {
        Settings s = Settings.defaults()
                .withStaticVms(List.of(new StaticVm("work", Path.of("/run/xen/clip-work.sock"), Optional.empty())))
                .withSocketDir(Optional.of(Path.of("/run/xen")))
                .withMode("work", SyncMode.TO_GUEST)
                .withRateLimit(4, Duration.ofMillis(2500));
        assertThat(SettingsFormat.parse(SettingsFormat.format(s))).isEqualTo(s);
    }
}
