package org.xenclip.host.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.xenclip.host.testing.Await;

class SocketDirWatcherTest {

    @TempDir
    Path tmp;

    @Test
    void seesSocketsComeAndGoAndIgnoresOtherFiles() throws Exception {
        Path dir = tmp.resolve("run-xen"); // created later: the watcher waits for it
        AtomicReference<Map<String, VmEntry>> seen = new AtomicReference<>(Map.of());
        try (SocketDirWatcher w = new SocketDirWatcher(dir, seen::set)) {
            w.start();
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("notes.txt"), "x");
            Files.writeString(dir.resolve("bad name.sock"), "x");
            try (AFUNIXServerSocket s = AFUNIXServerSocket.newInstance()) {
                s.bind(AFUNIXSocketAddress.of(dir.resolve("work.sock")));
                Await.until("work.sock seen", Duration.ofSeconds(15), () -> seen.get()
                        .containsKey("work"));
                assertThat(seen.get())
                        .isEqualTo(Map.of(
                                "work", new VmEntry("work", dir.resolve("work.sock"), VmEntry.Source.SOCKET_DIR)));
            }
            Files.deleteIfExists(dir.resolve("work.sock"));
            Await.until(
                    "work.sock gone", Duration.ofSeconds(15), () -> seen.get().isEmpty());
        }
    }
}
