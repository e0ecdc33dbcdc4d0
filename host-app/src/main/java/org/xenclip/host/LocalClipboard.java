package org.xenclip.host;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The dom0 clipboard as the engine uses it: watched for changes, written with text from VMs. The production
 * implementation wraps the desktop module's {@code ClipboardBackend}; reads and writes happen on its own
 * thread so a slow selection owner never holds up the engine.
 */
interface LocalClipboard extends AutoCloseable {

    /** Text the dom0 user copied, and whether its owner marked it secret. */
    record Copied(String text, boolean secret) {}

    /** Starts watching; {@code onChange} gets each new content (empty when the clipboard has no text). */
    void start(Consumer<Optional<Copied>> onChange);

    /** Puts {@code text} on the dom0 clipboard, asynchronously. */
    void write(String text);

    @Override
    void close();
}
