package org.xenclip.guest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.channelsim.ChannelConfig;
import org.xenclip.channelsim.Direction;
import org.xenclip.channelsim.SimulatedChannel;
import org.xenclip.desktop.ClipboardBackend;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.Await;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.desktop.x11.X11Clipboard;
import org.xenclip.guest.device.ChannelDevice;

/** What the agent makes of bytes that are not the protocol, arriving before and during a session. */
class AgentNoiseTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private SimulatedChannel channel;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() throws Exception {
        channel = SimulatedChannel.start(ChannelConfig.of("noise", dir.resolve("clip.sock")));
        Logger.getLogger(GuestAgent.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger(GuestAgent.class.getName()).removeHandler(capture);
        channel.close();
    }

    @Test
    void modemProbesBeforeTheHandshakeAreReportedNamingModemManagerAndTheSessionStillForms() throws Exception {
        // what a prober's AT commands look like once a cooked peer reflects them, plus stale bytes
        channel.inject(Direction.TO_GUEST, "\r\nAT\rATE0V1\rAT+GCAP\r\0\0stale".getBytes(StandardCharsets.US_ASCII));
        XvfbServer xvfb = XvfbServer.shared();
        try (ChannelDevice device = ChannelDevice.open(channel.devicePath())) {
            List<ClipboardBackend> clipboards = List.of(X11Clipboard.open(xvfb.display(), Selection.CLIPBOARD));
            GuestAgent agent = new GuestAgent(device, clipboards, AgentConfig.defaults());
            try (Dom0End dom0 = Dom0End.connect(channel.socketPath())) {
                agent.start();
                Await.until("established despite the noise", T, () -> dom0.isEstablished() && agent.isEstablished());
            } finally {
                agent.close();
                clipboards.forEach(ClipboardBackend::close);
            }
        }
        assertThat(logged)
                .filteredOn(r -> r.getMessage().startsWith("AT-command noise"))
                .singleElement()
                .satisfies(r -> assertThat(r.getMessage())
                        .contains("most likely ModemManager")
                        .contains("ID_MM_DEVICE_IGNORE")
                        .contains("systemctl disable --now ModemManager"));
    }
}
