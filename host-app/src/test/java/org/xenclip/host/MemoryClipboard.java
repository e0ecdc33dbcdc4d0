package org.xenclip.host;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory dom0 clipboard for engine tests that are about sockets and policy rather than X11; like a real
 * clipboard watch, it reports the app's own writes as changes too. The end-to-end tests use Xvfb instead.
 */
final class MemoryClipboard implements LocalClipboard {

    private volatile Consumer<Optional<Copied>> onChange;
    private volatile String content;
    final List<String> written = new CopyOnWriteArrayList<>();

    @Override
    public void start(Consumer<Optional<Copied>> listener) {
        this.onChange = listener;
    }

    /** The dom0 user copies. */
    void userCopies(String text) {
        content = text;
        onChange.accept(Optional.of(new Copied(text, false)));
    }

    String content() {
        return content;
    }

    @Override
    public void write(String text) {
        content = text;
        written.add(text);
        onChange.accept(Optional.of(new Copied(text, false)));
    }

    @Override
    public void close() {}
}
