package org.xenclip.host.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xenclip.host.vm.SyncMode;

class SettingsFormatTest {

    @Test
    void parsesEveryKey() throws Exception {
        Settings s = SettingsFormat.parse(
                """
                # comment
                default-mode = from-guest
                share-between-vms = true
                max-text-bytes = 65536
                sanitize = false
                rate-limit-count = 3
                rate-limit-window-ms = 1500
                paused = true
                socket-dir = /run/xen
                vm.work.mode = BOTH
                vm.work.path = /run/xen/clip-work.sock
                vm.web-1.mode = to_guest
                """);
        assertThat(s.defaultMode()).isEqualTo(SyncMode.FROM_GUEST);
        assertThat(s.shareBetweenVms()).isTrue();
        assertThat(s.maxTextBytes()).isEqualTo(65536);
        assertThat(s.sanitize()).isFalse();
        assertThat(s.rateLimitCount()).isEqualTo(3);
        assertThat(s.rateLimitWindow().toMillis()).isEqualTo(1500);
        assertThat(s.paused()).isTrue();
        assertThat(s.socketDir()).contains(Path.of("/run/xen"));
        assertThat(s.modes()).containsEntry("work", SyncMode.BOTH).containsEntry("web-1", SyncMode.TO_GUEST);
        assertThat(s.staticVms()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("work");
            assertThat(v.socketPath()).isEqualTo(Path.of("/run/xen/clip-work.sock"));
        });
    }

    @Test
    void rejectsUnknownKey() {
        assertThatThrownBy(() -> SettingsFormat.parse("shrae-between-vms=true\n"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("key 'shrae-between-vms' value 'true': unknown key");
    }

    @Test
    void rejectsBadNumber() {
        assertThatThrownBy(() -> SettingsFormat.parse("max-text-bytes=lots\n"))
                .hasMessage("key 'max-text-bytes' value 'lots': For input string: \"lots\"");
    }

    @Test
    void rejectsLimitOutOfRange() {
        assertThatThrownBy(() -> SettingsFormat.parse("max-text-bytes=0\n"))
                .hasMessage("max-text-bytes 0 outside 1..67108864");
    }

    @Test
    void rejectsRelativeSocketPath() {
        assertThatThrownBy(() -> SettingsFormat.parse("vm.a.path=clip.sock\n"))
                .hasMessage("key 'vm.a.path' value 'clip.sock': path must be absolute");
    }

    @Test
    void rejectsBadVmName() {
        assertThatThrownBy(() -> SettingsFormat.parse("vm.a/b.mode=off\n"))
                .hasMessage("key 'vm.a/b.mode' value 'off': VM name 'a/b' contains '/'; allowed are letters, digits"
                        + " and - _ . +");
    }

    @Test
    void rejectsBadBoolean() {
        assertThatThrownBy(() -> SettingsFormat.parse("paused=yes\n"))
                .hasMessage("key 'paused' value 'yes': expected true or false");
    }

    @Test
    void formatIsSortedAndStable() {
        String text = SettingsFormat.format(
                Settings.defaults().withMode("b", SyncMode.OFF).withMode("a", SyncMode.BOTH));
        assertThat(text)
                .endsWith(
                        """
                        default-mode=off
                        max-text-bytes=1048576
                        paused=false
                        rate-limit-count=10
                        rate-limit-window-ms=5000
                        sanitize=true
                        share-between-vms=false
                        vm.a.mode=both
                        vm.b.mode=off
                        """);
    }

    @Test
    void escapesPathsWithSpecialCharacters() throws Exception {
        Settings s = Settings.defaults().withSocketDir(java.util.Optional.of(Path.of("/tmp/a b=c#d\\é")));
        assertThat(SettingsFormat.parse(SettingsFormat.format(s))).isEqualTo(s);
    }
}
