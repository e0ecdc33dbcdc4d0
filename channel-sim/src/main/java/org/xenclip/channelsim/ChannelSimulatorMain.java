package org.xenclip.channelsim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator as a program: starts one {@link SimulatedChannel} and takes fault commands on
 * standard input. Prints {@code ready socket=... device=... pty=...} once the socket listens, then
 * one {@code ok ...} or {@code error: ...} line per command. Exit status: 0 after quit or a signal,
 * 1 if the channel cannot start, 2 on bad arguments.
 */
public final class ChannelSimulatorMain {
    private ChannelSimulatorMain() {}

    public static void main(String[] args) {
        System.exit(run(
                args,
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out,
                System.err));
    }

    static int run(String[] args, BufferedReader in, PrintStream out, PrintStream err) {
        CliArguments cli;
        try {
            cli = CliArguments.parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            err.println("xenclip-channel-sim: " + e.getMessage());
            err.println("Run with --help for usage.");
            return 2;
        }
        if (cli.help()) {
            out.println(CliArguments.USAGE);
            return 0;
        }
        SimulatedChannel channel;
        try {
            channel = SimulatedChannel.start(cli.config());
        } catch (IOException | RuntimeException e) {
            err.println("xenclip-channel-sim: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    channel.close();
                    stopped.countDown();
                },
                "sim-" + cli.config().name() + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("ready socket=" + channel.socketPath() + " device=" + channel.devicePath() + " pty="
                + channel.ptyPath());
        out.flush();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                FaultCommand command;
                try {
                    command = FaultCommand.parse(line);
                } catch (IllegalArgumentException e) {
                    out.println("error: " + e.getMessage());
                    out.flush();
                    continue;
                }
                if (command instanceof FaultCommand.Quit) {
                    out.println("ok quit");
                    out.flush();
                    Runtime.getRuntime().removeShutdownHook(hook);
                    channel.close();
                    return 0;
                }
                out.println(execute(channel, command));
                out.flush();
            }
            // End of input: keep the channel up until a signal runs the shutdown hook.
            stopped.await();
        } catch (IOException e) {
            err.println("xenclip-channel-sim: reading commands failed: " + e.getMessage());
            stopped.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static String execute(SimulatedChannel channel, FaultCommand command) {
        try {
            if (command instanceof FaultCommand.Drop) {
                channel.dropClient();
                return "ok drop";
            } else if (command instanceof FaultCommand.Reboot r) {
                channel.reboot(r.downtime());
                return "ok reboot pty=" + channel.ptyPath();
            } else if (command instanceof FaultCommand.Inject i) {
                channel.inject(i.direction(), i.bytes());
                return "ok inject " + i.bytes().length + " bytes toward "
                        + i.direction().word();
            } else if (command instanceof FaultCommand.Corrupt c) {
                channel.corruptNextByte(c.direction());
                return "ok corrupt " + c.direction().word();
            } else if (command instanceof FaultCommand.Stall s) {
                channel.stall(s.direction());
                return "ok stall " + s.direction().word();
            } else if (command instanceof FaultCommand.Resume r) {
                channel.resume(r.direction());
                return "ok resume " + r.direction().word();
            } else if (command instanceof FaultCommand.Stats) {
                return "ok " + channel.stats();
            } else if (command instanceof FaultCommand.Help) {
                return FaultCommand.HELP + "\nok help";
            } else {
                return "ok";
            }
        } catch (IOException | RuntimeException e) {
            return "error: " + e.getMessage();
        }
    }
}
