package org.xenclip.host.connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.xenclip.host.vm.VmState;

/**
 * Why a connect failed, in words a person can act on. Missing and refusing sockets are the normal life of
 * a VM (shut down, rebooting: protocol.md 1) and mean waiting; a permission problem names the file, its
 * owner and group, and what to do.
 */
record ConnectFailure(VmState state, String reason) {

    static ConnectFailure missing(Path socket) {
        return new ConnectFailure(
                VmState.WAITING_FOR_SOCKET, "socket " + socket + " does not exist yet (VM not running?)");
    }

    static ConnectFailure classify(Path socket, IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("no such file") || m.contains("enoent") || !Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return missing(socket);
        }
        if (m.contains("refused")) {
            return new ConnectFailure(
                    VmState.WAITING_FOR_SOCKET,
                    "socket " + socket + " refused the connection (VM shutting down or rebooting?)");
        }
        if (m.contains("permission denied") || m.contains("eacces") || m.contains("access denied")) {
            return new ConnectFailure(VmState.ERROR, permissionAdvice(socket, attributes(socket)));
        }
        return new ConnectFailure(VmState.ERROR, "cannot connect to " + socket + ": " + e.getMessage());
    }

    static Optional<PosixFileAttributes> attributes(Path p) {
        try {
            return Optional.of(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The advice for EACCES on {@code socket}: which file, which group to join, or what to ask for. */
    static String permissionAdvice(Path socket, Optional<PosixFileAttributes> attrs) {
        String user = System.getProperty("user.name");
        StringBuilder b = new StringBuilder("permission denied on ").append(socket);
        if (attrs.isEmpty()) {
            return b.append(": check that user ")
                    .append(user)
                    .append(" may write to it and search its directory ")
                    .append(socket.getParent())
                    .toString();
        }
        PosixFileAttributes a = attrs.get();
        String owner = a.owner().getName();
        String group = a.group().getName();
        Set<PosixFilePermission> perms = a.permissions();
        b.append(" (owner ")
                .append(owner)
                .append(", group ")
                .append(group)
                .append(", mode ")
                .append(PosixFilePermissions.toString(perms))
                .append("): ");
        if (perms.contains(PosixFilePermission.GROUP_WRITE)) {
            b.append("add user ")
                    .append(user)
                    .append(" to group '")
                    .append(group)
                    .append("' (sudo usermod -aG ")
                    .append(group)
                    .append(' ')
                    .append(user)
                    .append(") and log in again");
        } else {
            b.append("the socket is not group-writable; have it created with mode 0660 and group of your choosing "
                            + "(e.g. sudo chgrp ")
                    .append(group)
                    .append(' ')
                    .append(socket)
                    .append(" && sudo chmod g+rw ")
                    .append(socket)
                    .append("), then join that group");
        }
        return b.toString();
    }
}
