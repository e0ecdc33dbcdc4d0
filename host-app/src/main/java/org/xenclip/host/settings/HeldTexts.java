package org.xenclip.host.settings;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * What each VM was last known to hold, as a SHA-256 hash of the text (never the text), kept next to the
 * settings so that a restarted dom0 app does not push its clipboard over a newer copy made in the VM
 * meanwhile (docs/desktop-clipboard.md, "Reconnect"). Losing the file costs nothing but that: dom0 then
 * pushes its text on the first link, as it does for a VM it never saw. Thread-safe; the host app writes it from
 * a thread of its own ({@code HeldTextRecorder}).
 *
 * <p>The file is replaced atomically but not synced to disk: it must survive the app's death, which leaves the
 * page cache to the kernel, not a power cut, after which the VMs restarted too. A sync would put a disk flush in
 * the path of every dom0 -> VM copy.
 */
public final class HeldTexts {

    private static final Logger LOG = Logger.getLogger(HeldTexts.class.getName());

    public static final String FILE_NAME = "vm-clipboards.properties";
    /** A SHA-256 in hex; anything else in the file is ignored. */
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** Far more than any file this class writes; a larger file is not ours and is not read. */
    private static final long MAX_FILE_BYTES = 1L << 20;

    private final Path file;
    private final Map<String, String> hashes = new TreeMap<>();

    private HeldTexts(Path file) {
        this.file = file;
    }

    /** Reads {@code dir/vm-clipboards.properties}; a missing or unreadable file means nothing is known. */
    public static HeldTexts open(Path dir) {
        HeldTexts held = new HeldTexts(dir.resolve(FILE_NAME));
        try {
            if (Files.size(held.file) > MAX_FILE_BYTES) {
                LOG.warning(() -> held.file + " is over " + MAX_FILE_BYTES + " bytes: ignored");
                return held;
            }
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(held.file, StandardCharsets.UTF_8)));
            p.stringPropertyNames().forEach(vm -> {
                String hash = p.getProperty(vm);
                if (HASH.matcher(hash).matches()) {
                    held.hashes.put(vm, hash);
                }
            });
        } catch (NoSuchFileException e) {
            // first run
        } catch (IOException | IllegalArgumentException e) {
            LOG.warning(() -> "cannot read " + held.file + " (" + e.getMessage()
                    + "); dom0 sends its clipboard to each VM on the first link");
        }
        return held;
    }

    public synchronized Optional<String> get(String vm) {
        return Optional.ofNullable(hashes.get(vm));
    }

    /** Records the hash and rewrites the file at once (a few hundred bytes); a failure is logged, not fatal. */
    public synchronized void put(String vm, String hash) {
        if (!HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("hash " + hash + " is not a SHA-256 in hex");
        }
        if (hash.equals(hashes.put(vm, hash))) {
            return;
        }
        Properties p = new Properties();
        p.putAll(hashes);
        StringWriter w = new StringWriter();
        try {
            p.store(w, "what each VM's clipboard held when dom0 last knew: SHA-256 of the text, never the text");
            AtomicFiles.write(file, w.toString().getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            LOG.warning(() -> "cannot save " + file + ": " + e.getMessage());
        }
    }

    public Path file() {
        return file;
    }
}
