package org.xenclip.host;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xenclip.host.settings.SettingsFormat;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.settings.VmNames;
import org.xenclip.host.vm.SyncMode;

/** The parsed command line. Bad arguments raise {@link UsageException} with a message naming the argument. */
record CommandLine(
        boolean help,
        boolean noUi,
        boolean noXenstore,
        List<StaticVm> vms,
        Optional<Path> socketDir,
        Optional<Path> configDir) {

    static final String USAGE =
            """
            Usage: xenclip-host [options]
               (from a build: java -jar xenclip-host.jar [options])

            Shares the dom0 clipboard with the VMs that have the clipboard channel
            (org.xenproject.guest.clipboard.0.1), each VM with its own sync mode.

            Options:
              --no-ui                      run the engine only: no window, no tray (the dom0
                                           clipboard is still used); status goes to the log
              --vm NAME=PATH[,mode=MODE]   a VM whose channel socket is PATH; repeatable.
                                           MODE: off, to-guest, from-guest, both
              --socket-dir DIR             watch DIR for channel sockets named <vm>.sock
              --no-xenstore                do not look for VMs in XenStore
              --config DIR                 settings directory (default: $XDG_CONFIG_HOME/xenclip,
                                           or ~/.config/xenclip)
              --help                       print this text and exit

            Changing modes while it runs: the window and the tray, or (also with
            --no-ui) an edit of settings.properties in the settings directory, e.g.
              sed -i 's/^vm\\.work\\.mode=.*/vm.work.mode=both/' ~/.config/xenclip/settings.properties
            The edit applies within a second; a broken edit is logged and ignored.

            Exit status: 0 after quit, 1 when the app cannot start, 2 on bad arguments.
            """;

    /** A problem with the arguments; the app prints the message and exits with status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static CommandLine parse(List<String> args) throws UsageException {
        boolean help = false;
        boolean noUi = false;
        boolean noXenstore = false;
        Map<String, StaticVm> vms = new LinkedHashMap<>();
        Optional<Path> socketDir = Optional.empty();
        Optional<Path> configDir = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String opt = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                opt = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            switch (opt) {
                case "--help", "-h" -> help = true;
                case "--no-ui" -> noUi = true;
                case "--no-xenstore" -> noXenstore = true;
                case "--vm" -> {
                    String v = inline != null ? inline : value(args, ++i, opt);
                    StaticVm vm = parseVm(v);
                    if (vms.put(vm.name(), vm) != null) {
                        throw new UsageException("--vm " + vm.name() + " given twice");
                    }
                }
                case "--socket-dir" -> socketDir =
                        Optional.of(path(opt, inline != null ? inline : value(args, ++i, opt)));
                case "--config" -> configDir = Optional.of(path(opt, inline != null ? inline : value(args, ++i, opt)));
                default -> throw new UsageException("unknown argument '" + arg + "'");
            }
            if (inline != null && (opt.equals("--help") || opt.equals("--no-ui") || opt.equals("--no-xenstore"))) {
                throw new UsageException(opt + " takes no value");
            }
        }
        return new CommandLine(help, noUi, noXenstore, List.copyOf(vms.values()), socketDir, configDir);
    }

    private static String value(List<String> args, int i, String opt) throws UsageException {
        if (i >= args.size() || args.get(i).startsWith("--")) {
            throw new UsageException(opt + " needs a value");
        }
        return args.get(i);
    }

    private static Path path(String opt, String v) throws UsageException {
        if (v.isEmpty()) {
            throw new UsageException(opt + " needs a value");
        }
        try {
            return Path.of(v).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new UsageException(opt + " '" + v + "' is not a path: " + e.getMessage());
        }
    }

    /** {@code NAME=PATH[,mode=MODE]}. */
    static StaticVm parseVm(String v) throws UsageException {
        int eq = v.indexOf('=');
        if (eq <= 0 || eq == v.length() - 1) {
            throw new UsageException("--vm '" + v + "' is not NAME=PATH[,mode=MODE]");
        }
        String name = v.substring(0, eq);
        String rest = v.substring(eq + 1);
        List<String> parts = new ArrayList<>(List.of(rest.split(",", -1)));
        String pathText = parts.remove(0);
        Optional<SyncMode> mode = Optional.empty();
        for (String p : parts) {
            if (p.startsWith("mode=")) {
                try {
                    mode = Optional.of(SettingsFormat.parseMode(p.substring("mode=".length())));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--vm " + name + ": " + e.getMessage());
                }
            } else {
                throw new UsageException("--vm " + name + ": unknown option '" + p + "' (only mode=MODE)");
            }
        }
        try {
            VmNames.check(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--vm: " + e.getMessage());
        }
        if (pathText.isEmpty()) {
            throw new UsageException("--vm " + name + ": the socket path is empty");
        }
        return new StaticVm(name, path("--vm " + name, pathText), mode);
    }
}
