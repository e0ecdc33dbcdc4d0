package org.xenclip.guest.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.xenclip.protocol.SessionConfig;

/**
 * The command line, parsed. Both {@code --flag value} and {@code --flag=value} are accepted.
 *
 * @param maxBytes clipboard size cap in UTF-8 bytes (protocol.md 5.4; default 1 MiB)
 */
record Options(Optional<Path> device, Backend backend, long maxBytes, boolean primary, boolean verbose, boolean help) {

    /** Which desktop clipboard to use; {@code auto} picks by what the session offers. */
    enum Backend {
        AUTO,
        X11,
        WAYLAND
    }

    /** The protocol's ceiling for one payload (SessionConfig rejects more). */
    static final long MAX_BYTES_LIMIT = Integer.MAX_VALUE - 64;

    static final String USAGE =
            """
            Usage: xenclip-guest [options]
               (from a build: java -jar xenclip-guest.jar [options])

            Shares this VM's clipboard with the Xen host (dom0) over the PV channel
            org.xenproject.guest.clipboard.0.1.

            Options:
              --device PATH          the channel device (default: /dev/xen-channel/org.xenproject.guest.clipboard.0.1,
                                     waited for, else the Xen console whose XenStore name matches)
              --backend auto|x11|wayland
                                     the desktop clipboard to use (default: auto)
              --max-bytes N          largest clipboard text sent or accepted, in UTF-8 bytes (default: 1048576)
              --primary              also sync the PRIMARY selection (select to copy, middle-click to paste)
              --verbose              log more (never clipboard content)
              --help                 show this help

            Exit codes: 0 stopped, 1 unexpected error, 2 bad arguments, 3 no channel device,
            4 permission denied on the device, 5 device is not a terminal, 6 raw mode not accepted,
            7 native libc unavailable, 8 another agent holds the device, 9 no desktop clipboard.
            """;

    static Options parse(List<String> args) throws UsageException {
        Optional<Path> device = Optional.empty();
        Backend backend = Backend.AUTO;
        long maxBytes = SessionConfig.DEFAULT_MAX_PAYLOAD_BYTES;
        boolean primary = false;
        boolean verbose = false;
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (name) {
                case "--device" -> {
                    String v = inline != null ? inline : value(args, i++, name);
                    if (v.isEmpty()) {
                        throw new UsageException("--device needs a path, got an empty one");
                    }
                    device = Optional.of(Path.of(v));
                }
                case "--backend" -> backend = backend(inline != null ? inline : value(args, i++, name));
                case "--max-bytes" -> maxBytes = maxBytes(inline != null ? inline : value(args, i++, name));
                case "--primary" -> primary = flag(name, inline);
                case "--verbose" -> verbose = flag(name, inline);
                case "--help", "-h" -> help = flag(name, inline);
                default -> throw new UsageException(
                        arg.startsWith("-") ? "unknown option '" + arg + "'" : "unexpected argument '" + arg + "'");
            }
        }
        return new Options(device, backend, maxBytes, primary, verbose, help);
    }

    private static String value(List<String> args, int i, String name) throws UsageException {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return args.get(i + 1);
    }

    private static boolean flag(String name, String inline) throws UsageException {
        if (inline != null) {
            throw new UsageException(name + " takes no value, got '" + inline + "'");
        }
        return true;
    }

    private static Backend backend(String v) throws UsageException {
        try {
            return Backend.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--backend must be auto, x11 or wayland, got '" + v + "'");
        }
    }

    private static long maxBytes(String v) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--max-bytes must be a whole number of bytes, got '" + v + "'");
        }
        if (n < 1 || n > MAX_BYTES_LIMIT) {
            throw new UsageException("--max-bytes " + n + " outside 1.." + MAX_BYTES_LIMIT);
        }
        return n;
    }
}
