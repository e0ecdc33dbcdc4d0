package org.xenclip.desktop;

import java.time.Duration;
import java.util.Optional;

/** One desktop selection (CLIPBOARD, or PRIMARY with {@code --primary}) read, written and watched. */
public interface ClipboardBackend extends AutoCloseable {

    /** A short name for logs, e.g. {@code "x11-xfixes"}, {@code "wayland-wl-clipboard"}. */
    String name();

    /**
     * The current text, or empty when the selection holds no text or has no owner.
     *
     * @throws ClipboardException when the read fails or exceeds {@code timeout}
     */
    Optional<ClipboardContent> read(Duration timeout) throws ClipboardException;

    /** Takes ownership of the selection with this text. */
    void write(String text, Duration timeout) throws ClipboardException;

    /**
     * Calls {@code listener} whenever another program may have changed the selection. Our own writes may be
     * reported too (the Wayland backend does, the X11 backend does not), so listeners tell them apart by content.
     */
    void watch(ClipboardListener listener);

    @Override
    void close();
}
