package org.xenclip.guest.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per record on stderr, without timestamps (journald adds its own): {@code LEVEL message}. The
 * program logs sizes and hashes of clipboard text, never the text.
 */
final class LogFormat extends Formatter {

    private LogFormat() {}

    static void install(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler stderr = new ConsoleHandler(); // writes to System.err
        stderr.setFormatter(new LogFormat());
        Level level = verbose ? Level.FINE : Level.INFO;
        stderr.setLevel(level);
        root.addHandler(stderr);
        root.setLevel(Level.INFO);
        Logger.getLogger("org.xenclip").setLevel(level);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder line = new StringBuilder()
                .append(
                        Level.WARNING.equals(r.getLevel())
                                ? "WARN"
                                : r.getLevel().getName())
                .append(' ')
                .append(formatMessage(r));
        if (r.getThrown() != null && r.getLevel().intValue() >= Level.SEVERE.intValue()) {
            line.append(": ").append(r.getThrown());
        }
        return line.append(System.lineSeparator()).toString();
    }
}
