package org.xenclip.host;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.host.connection.ConnectionTiming;
import org.xenclip.host.discovery.XenStoreWatcher;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.vm.VmStatus;

/**
 * The launcher: parses the command line, starts the engine and, unless {@code --no-ui}, the UI found through
 * {@link HostUi}. Deliberately not a JavaFX {@code Application}, so the shaded jar starts JavaFX from the
 * class path without the module-path check.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;

    /** Quiet time before an edited settings file is read: an editor may write it in several steps. */
    static final java.time.Duration SETTINGS_EDIT_SETTLE = java.time.Duration.ofMillis(300);

    private Main() {}

    public static void main(String[] args) {
        // The XEmbed tray fallback uses AWT, which would load GTK 2 and then keep JavaFX from starting; both
        // agree on GTK 3 when asked before either loads.
        if (System.getProperty("jdk.gtk.version") == null) {
            System.setProperty("jdk.gtk.version", "3");
        }
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        int code = run(Arrays.asList(args), System.getenv(), System.out, System.err);
        System.exit(code);
    }

    /** Runs the app until it quits; returns the exit status. */
    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, null);
    }

    /**
     * Runs the app in this JVM with {@code ui} in place of the UI found through {@link ServiceLoader}, until
     * the user quits; returns the exit status (0 after quit, 1 when it cannot start, 2 on bad arguments).
     * For launchers that compose the host app with something else in one process (the demo); the caller
     * sets {@code jdk.gtk.version} as {@link #main} does.
     */
    public static int run(List<String> args, HostUi ui) {
        return run(args, System.getenv(), System.out, System.err, java.util.Objects.requireNonNull(ui, "ui"));
    }

    private static int run(
            List<String> args, Map<String, String> env, PrintStream out, PrintStream err, HostUi givenUi) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("xenclip-host: " + e.getMessage());
            err.println("Try 'xenclip-host --help'.");
            return EXIT_USAGE;
        }
        if (cl.help()) {
            out.print(CommandLine.USAGE);
            return EXIT_OK;
        }
        Logger log = Logger.getLogger("org.xenclip.host");
        Path configDir = cl.configDir().orElseGet(() -> SettingsStore.defaultDirectory(env));
        SettingsStore store = SettingsStore.open(configDir, SettingsStore.DEFAULT_DEBOUNCE, m -> {});
        LocalClipboard clipboard;
        try {
            clipboard = Dom0Clipboard.open(env);
        } catch (Exception e) {
            err.println("xenclip-host: cannot use the dom0 clipboard: " + e.getMessage());
            store.close();
            return EXIT_CANNOT_START;
        }
        Optional<Path> xenstore = cl.noXenstore() ? Optional.empty() : XenStoreWatcher.findTools(env);
        HostEngine engine = new HostEngine(
                store,
                new HostEngine.Options(cl.vms(), cl.socketDir(), xenstore, ConnectionTiming.defaults()),
                clipboard);
        CountDownLatch quit = new CountDownLatch(1);
        Runnable quitAction = quit::countDown;
        Runtime.getRuntime().addShutdownHook(new Thread(engine::close, "shutdown-engine"));
        engine.start();
        // The file is the live control without a UI (and works beside one): no socket to secure, any editor
        // or script can drive it, and the window's own changes already go through the same store.
        store.watchFile(SETTINGS_EDIT_SETTLE);
        log.info(() -> "xenclip-host started: settings " + store.file() + ", XenStore "
                + xenstore.map(Path::toString).orElse("not used") + ", socket dir "
                + cl.socketDir()
                        .or(() -> store.current().socketDir())
                        .map(Path::toString)
                        .orElse("none"));
        if (cl.noUi()) {
            engine.addVmListener(new StatusLog(log)::changed);
        } else {
            Iterator<HostUi> uis = givenUi != null
                    ? List.of(givenUi).iterator()
                    : ServiceLoader.load(HostUi.class).iterator();
            if (!uis.hasNext()) {
                err.println("xenclip-host: this build has no user interface; run with --no-ui");
                return EXIT_CANNOT_START;
            }
            try {
                uis.next().start(engine, store, quitAction);
            } catch (Exception e) {
                log.log(Level.FINE, "UI start failed", e);
                err.println("xenclip-host: cannot start the user interface (" + e
                        + "); run with --no-ui on a dom0 without a desktop session");
                return EXIT_CANNOT_START;
            }
        }
        try {
            quit.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    /** The {@code --no-ui} status display: one log line per VM whose visible state changed. */
    static final class StatusLog {
        private final Logger log;
        private final Map<String, VmStatus> last = new HashMap<>();

        StatusLog(Logger log) {
            this.log = log;
        }

        synchronized void changed(List<VmStatus> vms) {
            for (VmStatus s : vms) {
                VmStatus before = last.put(s.name(), s);
                if (before == null
                        || before.state() != s.state()
                        || before.mode() != s.mode()
                        || before.agentAlive() != s.agentAlive()
                        || !before.lastError().equals(s.lastError())
                        || !before.pausedReason().equals(s.pausedReason())) {
                    log.info(() -> "VM " + s.name() + ": " + s.state() + ", mode " + s.mode()
                            + (s.agentAlive() ? ", agent alive" : "")
                            + s.lastError().map(e -> ", last error: " + e).orElse("")
                            + s.pausedReason().map(p -> ", " + p).orElse(""));
                }
            }
            last.keySet().retainAll(vms.stream().map(VmStatus::name).toList());
        }
    }
}
