package org.xenclip.guest.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.guest.agent.AgentConfig;
import org.xenclip.guest.agent.GuestAgent;
import org.xenclip.guest.device.ChannelDevice;
import org.xenclip.guest.device.DeviceChoice;
import org.xenclip.guest.device.DeviceException;
import org.xenclip.guest.device.DeviceLocator;

/** {@code xenclip-guest}: finds and opens the channel device, opens the desktop clipboard, runs the agent. */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_NO_CLIPBOARD = 9;

    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {}

    /**
     * jnr-ffi's switch between classes generated with ASM (its default) and reflection for native calls. The agent
     * makes a few native calls a second, where the slower reflective call costs nothing noticeable, while
     * generating the classes cost about a fifth of the CPU spent before "watching" (docs/benchmarks/guest-startup.md).
     */
    static final String JNR_ASM_PROPERTY = "jnr.ffi.asm.enabled";

    public static void main(String[] args) {
        if (System.getProperty(JNR_ASM_PROPERTY) == null) {
            // before anything binds a library: jnr-ffi reads it once; a -D on the command line still wins
            System.setProperty(JNR_ASM_PROPERTY, "false");
        }
        int code = run(List.of(args), System.getenv(), DeviceLocator.system(), System.out, System.err);
        System.exit(code);
    }

    static int run(
            List<String> args, Map<String, String> env, DeviceLocator locator, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("xenclip-guest: " + e.getMessage() + " (see --help)");
            return EXIT_USAGE;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return EXIT_OK;
        }
        LogFormat.install(options.verbose());
        long started = System.nanoTime();
        // The desktop clipboard (Xlib through jnr-ffi) and the device each take a while to initialise: in parallel.
        CompletableFuture<List<ClipboardBackend>> opening = new CompletableFuture<>();
        Thread opener = new Thread(
                () -> {
                    try {
                        opening.complete(ClipboardOpener.open(options, env));
                    } catch (ClipboardException | RuntimeException | LinkageError e) {
                        opening.completeExceptionally(e);
                    }
                },
                "clipboard-open");
        opener.setDaemon(true);
        opener.start();
        ChannelDevice device;
        try {
            DeviceChoice choice = locator.locate(options.device());
            LOG.info(() -> "device: " + choice.path() + " (" + choice.reason() + ")");
            device = ChannelDevice.open(choice.path());
            LOG.fine(() -> "raw mode set; before: " + device.settingsBefore());
        } catch (DeviceException e) {
            LOG.severe(e.getMessage());
            CompletableFuture<Void> unused = opening.thenAccept(list -> list.forEach(ClipboardBackend::close));
            return e.kind().exitCode();
        }
        List<ClipboardBackend> clipboards;
        try {
            clipboards = opening.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            LOG.severe("no desktop clipboard: "
                    + (cause instanceof ClipboardException ? cause.getMessage() : cause.toString()));
            device.close();
            return EXIT_NO_CLIPBOARD;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            device.close();
            return EXIT_OK;
        }
        AgentConfig config = AgentConfig.defaults().withMaxBytes(options.maxBytes());
        GuestAgent agent = new GuestAgent(device, clipboards, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(agent, clipboards, device), "agent-shutdown"));
        try {
            agent.start();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            LOG.fine(() -> "started in " + ms + " ms (since main)");
            agent.join();
            LOG.severe("the agent loop stopped");
            return EXIT_ERROR;
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "cannot start the agent: " + e.getMessage(), e);
            return EXIT_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_OK;
        }
    }

    private static void stop(GuestAgent agent, List<ClipboardBackend> clipboards, ChannelDevice device) {
        agent.close();
        clipboards.forEach(ClipboardBackend::close);
        device.close();
    }
}
