package org.xenclip.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.xenclip.channelsim.ChannelConfig;
import org.xenclip.channelsim.ChannelStats;
import org.xenclip.channelsim.SimulatedChannel;
import org.xenclip.guest.agent.AgentConfig;
import org.xenclip.guest.agent.GuestAgent;
import org.xenclip.guest.device.ChannelDevice;
import org.xenclip.guest.device.DeviceException;

/**
 * The simulated VM: a {@link SimulatedChannel} (the dom0 socket and the guest's pty) in a private temporary
 * directory, and the real {@link GuestAgent} on the pty, opened and made raw as on a real guest, with the
 * {@link GuestClipboard} as its clipboard. {@link #close()} stops the agent and the simulator and removes the
 * directory.
 *
 * <p>Created and closed by the launcher's main thread; {@link #stats()} and {@link #agentConnected()} may be
 * called from any thread.
 */
final class DemoVm implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoVm.class.getName());

    /** The VM's name in the host app's window and tray. */
    static final String NAME = "demo-vm";

    private final Path dir;
    private final SimulatedChannel channel;
    private final ChannelDevice device;
    private final GuestAgent agent;
    private final GuestClipboard clipboard;
    private boolean closed;

    private DemoVm(
            Path dir, SimulatedChannel channel, ChannelDevice device, GuestAgent agent, GuestClipboard clipboard) {
        this.dir = dir;
        this.channel = channel;
        this.device = device;
        this.agent = agent;
        this.clipboard = clipboard;
    }

    /** Creates the directory, starts the simulator and the agent; undoes what it did if a step fails. */
    static DemoVm start(GuestClipboard clipboard) throws IOException, InterruptedException, DeviceException {
        Path dir = Files.createTempDirectory("xenclip-demo-");
        SimulatedChannel channel = null;
        ChannelDevice device = null;
        GuestAgent agent = null;
        try {
            channel = SimulatedChannel.start(ChannelConfig.of(NAME, dir.resolve(NAME + ".sock"))
                    .withDeviceLink(dir.resolve("xen-channel-" + NAME)));
            device = ChannelDevice.open(channel.devicePath());
            agent = new GuestAgent(device, List.of(clipboard), AgentConfig.defaults());
            agent.start();
            LOG.info(() -> "simulated VM " + NAME + " up: dom0 socket " + socketPathOf(dir) + ", guest device "
                    + deviceLinkOf(dir));
            return new DemoVm(dir, channel, device, agent, clipboard);
        } catch (Exception e) {
            closeAll(agent, device, channel, dir);
            throw e;
        }
    }

    private static Path socketPathOf(Path dir) {
        return dir.resolve(NAME + ".sock");
    }

    private static Path deviceLinkOf(Path dir) {
        return dir.resolve("xen-channel-" + NAME);
    }

    /** Where the host app connects: the QEMU-like listening socket. */
    Path socketPath() {
        return channel.socketPath();
    }

    /** The temporary directory holding the socket and the device link; gone after {@link #close()}. */
    Path directory() {
        return dir;
    }

    ChannelStats stats() {
        return channel.stats();
    }

    /** Whether the agent has a session with the host app. */
    boolean agentConnected() {
        return agent.isEstablished();
    }

    GuestClipboard clipboard() {
        return clipboard;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(agent, device, channel, dir);
        clipboard.close();
        LOG.info("simulated VM " + NAME + " stopped, " + dir + " removed");
    }

    private static void closeAll(GuestAgent agent, ChannelDevice device, SimulatedChannel channel, Path dir) {
        if (agent != null) {
            agent.close();
        }
        if (device != null) {
            device.close();
        }
        if (channel != null) {
            channel.close();
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not remove " + dir, e);
        }
    }
}
