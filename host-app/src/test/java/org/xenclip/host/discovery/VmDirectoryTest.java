package org.xenclip.host.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmDirectoryTest {

    private static VmEntry e(String name, String path, VmEntry.Source s) {
        return new VmEntry(name, Path.of(path), s);
    }

    @Test
    void mergesSourcesWithConfigOverXenstoreOverSocketDir() {
        List<Map<String, VmEntry>> told = new ArrayList<>();
        VmDirectory d = new VmDirectory(told::add);
        d.update(
                VmEntry.Source.SOCKET_DIR,
                Map.of(
                        "a", e("a", "/dir/a.sock", VmEntry.Source.SOCKET_DIR),
                        "b", e("b", "/dir/b.sock", VmEntry.Source.SOCKET_DIR)));
        d.update(VmEntry.Source.XENSTORE, Map.of("a", e("a", "/xs/a.sock", VmEntry.Source.XENSTORE)));
        d.update(VmEntry.Source.CONFIG, Map.of("b", e("b", "/cfg/b.sock", VmEntry.Source.CONFIG)));
        assertThat(d.current())
                .isEqualTo(Map.of(
                        "a", e("a", "/xs/a.sock", VmEntry.Source.XENSTORE),
                        "b", e("b", "/cfg/b.sock", VmEntry.Source.CONFIG)));
        assertThat(told).hasSize(3);
        d.update(VmEntry.Source.XENSTORE, Map.of("a", e("a", "/xs/a.sock", VmEntry.Source.XENSTORE)));
        assertThat(told).as("an unchanged merge is not told again").hasSize(3);
        d.update(VmEntry.Source.XENSTORE, Map.of());
        assertThat(d.current().get("a").source()).isEqualTo(VmEntry.Source.SOCKET_DIR);
    }
}
