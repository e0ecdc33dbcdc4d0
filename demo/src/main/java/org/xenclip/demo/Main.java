package org.xenclip.demo;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javafx.application.Platform;

/**
 * {@code java -jar xenclip-demo.jar}: xenclip working against a simulated VM, in one process. Starts the
 * simulated VM ({@link DemoVm}: channel simulator and real guest agent), then the real host app with that VM
 * ({@code --vm demo-vm=<socket>,mode=both}), a throwaway settings directory and the user's desktop
 * clipboard, its window and tray, and the demo VM's window ({@link DemoUi}). Returns when the user quits,
 * after removing what it created.
 *
 * <p>Deliberately not a JavaFX {@code Application}, so the shaded jar starts JavaFX from the class path.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;

    static final String USAGE =
            """
            Usage: java -jar xenclip-demo.jar [--help]

            xenclip against a simulated VM, without Xen. Starts, in this one process:
              - a simulated Xen channel for the VM "demo-vm" (a QEMU-like Unix socket for
                dom0, a pseudo-terminal as the guest's channel device), in a temporary
                directory;
              - the real guest agent on that device, whose clipboard is a small window,
                "demo-vm: guest clipboard", standing in for the VM's desktop;
              - the real host app (window and tray) with demo-vm in mode "both", your
                desktop clipboard, and throwaway settings (yours are not touched).

            Copy text on your desktop: it shows up in the demo-vm window. Type text in
            that window and press "Copy in the VM" (Ctrl+Enter): paste it on your
            desktop. Quit from either window or the tray; the temporary files go too.

            Needs a desktop session (X11, or Wayland with wl-clipboard).

            Options:
              --help        print this text and exit
              --test-hook   for automated tests: commands on stdin, reports on stdout
                            (see TestHook)

            Exit status: 0 after quit, 1 when the demo cannot start, 2 on bad arguments.
            """;

    private Main() {}

    public static void main(String[] args) {
        // AWT (the XEmbed tray fallback) and JavaFX must agree on GTK 3 before either loads.
        if (System.getProperty("jdk.gtk.version") == null) {
            System.setProperty("jdk.gtk.version", "3");
        }
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s %3$s: %5$s%6$s%n");
        }
        int code = run(Arrays.asList(args), System.in, System.out, System.err);
        Platform.exit();
        System.exit(code);
    }

    static int run(List<String> args, InputStream in, PrintStream out, PrintStream err) {
        boolean testHook = false;
        for (String arg : args) {
            switch (arg) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return EXIT_OK;
                }
                case "--test-hook" -> testHook = true;
                default -> {
                    err.println("xenclip-demo: unknown argument '" + arg + "'");
                    err.println("Try 'java -jar xenclip-demo.jar --help'.");
                    return EXIT_USAGE;
                }
            }
        }
        Logger log = Logger.getLogger(Main.class.getName());
        GuestClipboard clipboard = new GuestClipboard();
        DemoVm vm;
        try {
            vm = DemoVm.start(clipboard);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_CANNOT_START;
        } catch (Exception e) {
            err.println("xenclip-demo: cannot start the simulated VM: " + e.getMessage());
            return EXIT_CANNOT_START;
        }
        Optional<TestHook> hook = testHook ? Optional.of(new TestHook(out, in, vm)) : Optional.empty();
        DemoUi ui = new DemoUi(vm, window -> hook.ifPresent(h -> h.attach(window)));
        // Ctrl+C or a kill (SIGTERM) ends the JVM without returning here: clean up in a hook as well
        Thread cleanup = new Thread(
                () -> {
                    ui.closeSettings();
                    vm.close();
                },
                "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<String> hostArgs = List.of(
                    "--vm",
                    DemoVm.NAME + "=" + vm.socketPath() + ",mode=both",
                    "--config",
                    vm.directory().resolve("config").toString(),
                    "--no-xenstore");
            log.info(() -> "demo: starting the host app with " + DemoVm.NAME + " (mode both), settings in "
                    + vm.directory().resolve("config"));
            int code;
            try {
                code = org.xenclip.host.Main.run(hostArgs, ui);
            } finally {
                ui.closeSettings();
            }
            log.info("demo: host app quit (status " + code + ")");
            return code;
        } finally {
            vm.close();
        }
    }
}
