package org.xenclip.channelsim;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The command line of {@link ChannelSimulatorMain}, parsed. */
record CliArguments(boolean help, ChannelConfig config) {
    static final String USAGE = String.join(
            "\n",
            "Usage: java -jar xenclip-channel-sim.jar --socket PATH [--device-link PATH] [--bandwidth N] [--name NAME]",
            "       java -jar xenclip-channel-sim.jar --help",
            "",
            "Simulates one Xen PV channel: a Unix socket at PATH that dom0 apps connect to (one at a",
            "time, like QEMU) and a pseudo-terminal the guest agent opens (cooked at start, like hvc).",
            "",
            "  --socket PATH       where the dom0 side listens (required)",
            "  --device-link PATH  a symlink to the guest's pty, like /dev/xen-channel/<name>",
            "  --bandwidth N       limit each direction to N bytes per second (default: none)",
            "  --name NAME         name for logs and threads (default: from the socket file name)",
            "",
            "Fault commands on standard input, one per line:",
            FaultCommand.HELP,
            "End of input leaves the simulator running; quit, SIGINT or SIGTERM stop it.");

    /**
     * Parses the arguments of {@code main}.
     *
     * @throws IllegalArgumentException with a message saying which argument is wrong and why
     */
    static CliArguments parse(List<String> args) {
        Path socket = null;
        Path link = null;
        long bandwidth = 0;
        String name = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--help", "-h" -> {
                    return new CliArguments(true, null);
                }
                case "--socket" -> socket = Path.of(value(args, i++));
                case "--device-link" -> link = Path.of(value(args, i++));
                case "--bandwidth" -> bandwidth = bandwidth(value(args, i++));
                case "--name" -> name = value(args, i++);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (socket == null) {
            throw new IllegalArgumentException("--socket PATH is required");
        }
        if (name == null) {
            name = defaultName(socket);
        }
        return new CliArguments(false, new ChannelConfig(name, socket, Optional.ofNullable(link), bandwidth));
    }

    private static String value(List<String> args, int i) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new IllegalArgumentException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }

    private static long bandwidth(String text) {
        try {
            long n = Long.parseLong(text);
            if (n <= 0) {
                throw new IllegalArgumentException("--bandwidth " + text + " must be a positive number of bytes/s");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--bandwidth " + text + " is not a number of bytes/s", e);
        }
    }

    /** {@code /run/xen/clip-vm1.sock} gives {@code clip-vm1}. */
    static String defaultName(Path socket) {
        String file = socket.getFileName() == null ? "" : socket.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String base = dot > 0 ? file.substring(0, dot) : file;
        String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "_");
        if (cleaned.isEmpty()) {
            return "channel";
        }
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
