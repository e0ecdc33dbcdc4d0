package org.xenclip.desktop.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the real programs the tests drive, failing with the Debian package to install when one is missing. */
public final class Tools {

    private Tools() {}

    /** The program's path on {@code PATH}, if any. */
    public static Optional<Path> find(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            path = "/usr/local/bin:/usr/bin:/bin";
        }
        for (String dir : path.split(File.pathSeparator, -1)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The program's path, or an {@link IllegalStateException} that names the Debian package providing it: a
     * test needing a platform feature fails loudly rather than skipping.
     */
    public static Path require(String program, String debianPackage) {
        return find(program)
                .orElseThrow(
                        () -> new IllegalStateException(program + " not found on PATH: install the Debian package '"
                                + debianPackage + "' (apt-get install -y " + debianPackage + ")"));
    }
}
