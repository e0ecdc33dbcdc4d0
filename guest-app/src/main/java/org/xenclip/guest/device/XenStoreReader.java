package org.xenclip.guest.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Reads XenStore keys with the {@code xenstore-read} tool, where the guest has it installed. */
public final class XenStoreReader {

    /** A XenStore read is a local round trip; anything slower means xenstored is wedged. */
    private static final long TIMEOUT_SECONDS = 3;
    /** protocol.md 5.4: names are short; more than this is not a channel name. */
    private static final int MAX_VALUE_BYTES = 4096;

    private final Path tool;

    public XenStoreReader(Path tool) {
        this.tool = tool;
    }

    /** The {@code xenstore-read} found on PATH, if any. */
    public static Optional<XenStoreReader> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":", -1)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "xenstore-read");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new XenStoreReader(candidate));
            }
        }
        return Optional.empty();
    }

    public Path tool() {
        return tool;
    }

    /** The key's value, or empty when the key is absent or the tool fails. */
    public Optional<String> read(String key) {
        try {
            Process p = new ProcessBuilder(tool.toString(), key)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(MAX_VALUE_BYTES);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
