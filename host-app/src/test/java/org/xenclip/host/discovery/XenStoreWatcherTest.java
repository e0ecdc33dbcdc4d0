package org.xenclip.host.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.testing.Await;

class XenStoreWatcherTest {

    @TempDir
    Path tmp;

    private static final String B = "/local/domain/0/backend/console/";

    @Test
    void findsSocketChannelsWithOurNameOnly() {
        List<String> lines = List.of(
                B + "3 = \"\"",
                B + "3/0/name = \"\"", // the PV console itself
                B + "3/0/protocol = \"vt100\"",
                B + "3/1/name = \"org.xenproject.guest.clipboard.0.1\"",
                B + "3/1/connection = \"socket\"",
                B + "3/1/path = \"/run/xen/clip-work.sock\"",
                B + "4/1/name = \"org.xenproject.guest.clipboard.0.1\"",
                B + "4/1/connection = \"pty\"", // a pty channel: not ours to connect to
                B + "4/1/path = \"/dev/pts/7\"",
                B + "5/2/name = \"org.qemu.guest_agent.0\"",
                B + "5/2/connection = \"socket\"",
                B + "5/2/path = \"/run/xen/qga.sock\"",
                B + "6/1/name = \"org.xenproject.guest.clipboard.0.1\"",
                B + "6/1/connection = \"socket\"",
                B + "6/1/path = \"relative.sock\"", // not absolute: ignored
                "garbage line");
        assertThat(XenStoreWatcher.parseBackends(lines)).isEqualTo(Map.of("3", Path.of("/run/xen/clip-work.sock")));
    }

    @Test
    void unquotesLikeXenstoreLs() {
        assertThat(XenStoreWatcher.unquote("\"a \\\"b\\\" c\\\\d\"")).isEqualTo("a \"b\" c\\d");
        assertThat(XenStoreWatcher.unquote("plain")).isEqualTo("plain");
    }

    /** Fake xenstore-ls/-read/-watch scripts: real processes reading files the test rewrites. */
    @Test
    void scansAndFollowsChangesThroughTheTools() throws Exception {
        Path tools = Files.createDirectories(tmp.resolve("bin"));
        Path ls = tmp.resolve("ls.txt");
        Path names = tmp.resolve("names.txt");
        Path trigger = tmp.resolve("trigger");
        script(tools.resolve("xenstore-ls"), "#!/bin/sh\n[ \"$1\" = -f ] || exit 3\ncat '" + ls + "'\n");
        script(tools.resolve("xenstore-read"), "#!/bin/sh\ngrep \"^$1 \" '" + names + "' | cut -d' ' -f2 || exit 1\n");
        script(
                tools.resolve("xenstore-watch"),
                "#!/bin/sh\necho \"$1\"\nwhile :; do if [ -e '" + trigger + "' ]; then rm -f '" + trigger
                        + "'; echo \"$1/9\"; fi; sleep 0.05; done\n");
        Files.writeString(
                ls,
                B + "3/1/name = \"org.xenproject.guest.clipboard.0.1\"\n" + B + "3/1/connection = \"socket\"\n" + B
                        + "3/1/path = \"/run/xen/a.sock\"\n");
        Files.writeString(names, "/local/domain/3/name work\n/local/domain/9/name web\n");
        AtomicReference<Map<String, VmEntry>> seen = new AtomicReference<>(Map.of());
        try (XenStoreWatcher w = new XenStoreWatcher(tools, seen::set)) {
            w.start();
            Await.until("first scan", Duration.ofSeconds(10), () -> seen.get().containsKey("work"));
            assertThat(seen.get())
                    .isEqualTo(
                            Map.of("work", new VmEntry("work", Path.of("/run/xen/a.sock"), VmEntry.Source.XENSTORE)));
            Files.writeString(
                    ls,
                    Files.readString(ls) + B + "9/1/name = \"org.xenproject.guest.clipboard.0.1\"\n" + B
                            + "9/1/connection = \"socket\"\n" + B + "9/1/path = \"/run/xen/b.sock\"\n");
            Files.writeString(trigger, "");
            Await.until("the watch saw the new domain", Duration.ofSeconds(10), () -> seen.get()
                    .containsKey("web"));
            assertThat(seen.get().get("web").socketPath()).isEqualTo(Path.of("/run/xen/b.sock"));
        }
    }

    @Test
    void findsToolsOnPath() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        script(bin.resolve("xenstore-ls"), "#!/bin/sh\n");
        assertThat(XenStoreWatcher.findTools(Map.of("PATH", "/nonexistent:" + bin)))
                .contains(bin);
        assertThat(XenStoreWatcher.findTools(Map.of("PATH", "/nonexistent"))).isEmpty();
    }

    private static void script(Path p, String body) throws Exception {
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
