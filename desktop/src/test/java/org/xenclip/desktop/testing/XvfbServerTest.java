package org.xenclip.desktop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class XvfbServerTest {

    @Test
    void twoServersGetDistinctDisplaysAndStopOnClose() {
        XvfbServer a = XvfbServer.start();
        Path socketA = Path.of("/tmp/.X11-unix/X" + a.display().substring(1));
        try (XvfbServer b = XvfbServer.start()) {
            assertThat(a.display()).matches(":\\d+").isNotEqualTo(b.display());
            assertThat(socketA).exists();
            assertThat(a.isAlive()).isTrue();
        } finally {
            a.close();
        }
        assertThat(a.isAlive()).isFalse();
        assertThat(Files.exists(socketA)).isFalse();
    }

    @Test
    void missingProgramNamesTheDebianPackage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tools.require("no-such-program-xyz", "xyz-pkg"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no-such-program-xyz not found on PATH: install the Debian package 'xyz-pkg'"
                        + " (apt-get install -y xyz-pkg)");
    }
}
