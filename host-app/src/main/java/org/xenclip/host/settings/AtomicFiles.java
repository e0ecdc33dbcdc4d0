package org.xenclip.host.settings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Replaces a file whole or not at all: a crash mid-write leaves the old file, never half a new one. */
final class AtomicFiles {

    private AtomicFiles() {}

    /** As {@link #write(Path, byte[], boolean)}, synced to disk before the rename. */
    static void write(Path file, byte[] content) throws IOException {
        write(file, content, true);
    }

    /**
     * Writes a temporary file beside {@code file} and renames it over {@code file}. With {@code sync} the data
     * reaches the disk before the rename, so even a power cut leaves the old or the new file; without, a crash of
     * this process still does, which is all some files need.
     */
    static void write(Path file, byte[] content, boolean sync) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch =
                    FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (sync) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
