package org.xenclip.host.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.xenclip.host.vm.VmState;
import org.xenclip.protocol.ServerSession;

class ConnectFailureTest {

    @TempDir
    Path tmp;

    @Test
    void missingSocketMeansWaiting() {
        Path p = tmp.resolve("gone.sock");
        assertThat(ConnectFailure.classify(p, new IOException("No such file or directory")))
                .isEqualTo(new ConnectFailure(
                        VmState.WAITING_FOR_SOCKET, "socket " + p + " does not exist yet (VM not running?)"));
    }

    @Test
    void refusedSocketMeansWaiting() throws Exception {
        Path p = tmp.resolve("stale.sock");
        // A socket file nobody listens on: what QEMU leaves behind when it dies.
        try (AFUNIXServerSocket s = AFUNIXServerSocket.newInstance()) {
            s.bind(AFUNIXSocketAddress.of(p));
            s.setDeleteOnClose(false);
        }
        IOException real = null;
        try (AFUNIXSocket c = AFUNIXSocket.newInstance()) {
            c.connect(AFUNIXSocketAddress.of(p));
        } catch (IOException e) {
            real = e;
        }
        assertThat(real).as("connecting to a dead socket fails").isNotNull();
        assertThat(ConnectFailure.classify(p, real))
                .isEqualTo(new ConnectFailure(
                        VmState.WAITING_FOR_SOCKET,
                        "socket " + p + " refused the connection (VM shutting down or rebooting?)"));
    }

    @Test
    void permissionAdviceNamesFileOwnerGroupAndWhatToDo() throws Exception {
        Path p = socketOwnedBy("adm", "rw-rw----");
        String user = System.getProperty("user.name");
        assertThat(ConnectFailure.permissionAdvice(p, ConnectFailure.attributes(p)))
                .isEqualTo("permission denied on " + p + " (owner root, group adm, mode rw-rw----): add user " + user
                        + " to group 'adm' (sudo usermod -aG adm " + user + ") and log in again");
        Path q = socketOwnedBy("adm", "rw-------");
        assertThat(ConnectFailure.permissionAdvice(q, ConnectFailure.attributes(q)))
                .startsWith("permission denied on " + q + " (owner root, group adm, mode rw-------): the socket is not"
                        + " group-writable");
    }

    /**
     * The real thing: an unprivileged user (nobody, via setpriv) runs a VmConnection against a socket only
     * group adm may use, and the reason it reports says which file and which group.
     */
    @Test
    void unprivilegedUserGetsActionableMessage() throws Exception {
        assertThat(System.getProperty("user.name"))
                .as("this test drops from root to nobody with setpriv; run the suite as root (CI does)")
                .isEqualTo("root");
        Path setpriv = Path.of("/usr/bin/setpriv");
        assertThat(setpriv).as("setpriv (Debian package util-linux) is needed").exists();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "xenclip-perm");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path sock = dir.resolve("clip-vm.sock");
            try (AFUNIXServerSocket s = AFUNIXServerSocket.newInstance()) {
                s.bind(AFUNIXSocketAddress.of(sock));
                setGroup(sock, "adm", "rw-rw----");
                String cp = readableClasspath(dir.resolve("cp"));
                Path childTmp = Files.createDirectory(dir.resolve("tmp")); // junixsocket unpacks its library here
                Files.setPosixFilePermissions(childTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
                Process p = new ProcessBuilder(
                                setpriv.toString(),
                                "--reuid=65534",
                                "--regid=65534",
                                "--clear-groups",
                                "--",
                                Path.of(System.getProperty("java.home"), "bin", "java")
                                        .toString(),
                                "-Djava.io.tmpdir=" + childTmp,
                                "-cp",
                                cp,
                                ConnectProbe.class.getName(),
                                sock.toString())
                        .redirectErrorStream(true)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(out)
                        .as(out)
                        .contains("ERROR: permission denied on " + sock
                                + " (owner root, group adm, mode rw-rw----): add user nobody to group 'adm'"
                                + " (sudo usermod -aG adm nobody) and log in again");
            }
        } finally {
            deleteTree(dir);
        }
    }

    private Path socketOwnedBy(String group, String perms) throws Exception {
        Path p = Files.createTempFile(tmp, "s", ".sock");
        setGroup(p, group, perms);
        return p;
    }

    private static void setGroup(Path p, String group, String perms) throws IOException {
        GroupPrincipal g = p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
        Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(g);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    /** Copies this module's classes and the few jars the probe needs where nobody can read them. */
    private static String readableClasspath(Path into) throws Exception {
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (Class<?> c : List.of(
                ConnectProbe.class,
                VmConnection.class,
                ServerSession.class,
                AFUNIXSocket.class,
                Class.forName("org.newsclub.lib.junixsocket.common.NarMetadata"))) {
            Path src = Path.of(
                    c.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path dst = into.resolve(i++ + "-" + src.getFileName());
            copyTree(src, dst);
            entries.add(dst.toString());
        }
        try (var s = Files.walk(into)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(
                        p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(":", entries);
    }

    private static void copyTree(Path src, Path dst) throws IOException {
        if (Files.isDirectory(src)) {
            try (var s = Files.walk(src)) {
                for (Path p : s.toList()) {
                    Path t = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t);
                    }
                }
            }
        } else {
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
