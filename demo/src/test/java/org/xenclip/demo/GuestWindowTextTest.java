package org.xenclip.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xenclip.channelsim.ChannelStats;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;
import org.xenclip.host.vm.VmStatus;

/** The demo VM window's texts (no JavaFX needed): sizes, the status line, the simulation notice. */
class GuestWindowTextTest {

    @Test
    void sizeCountsCharactersAsCodePointsAndBytesAsUtf8() {
        assertThat(GuestWindow.size("a")).isEqualTo("1 character, 1 byte");
        assertThat(GuestWindow.size("😀")).isEqualTo("1 character, 4 bytes");
        assertThat(GuestWindow.size("你好")).isEqualTo("2 characters, 6 bytes");
    }

    @Test
    void bytesUseBinaryUnits() {
        assertThat(GuestWindow.bytes(1023)).isEqualTo("1023 B");
        assertThat(GuestWindow.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(GuestWindow.bytes(3L * 1024 * 1024)).isEqualTo("3.0 MiB");
    }

    @Test
    void statusLineSaysConnectedOnlyWhenBothEndsAreInSession() {
        ChannelStats connected = stats(true, 250, 226);
        assertThat(GuestWindow.statusLine(connected, true, Optional.empty()))
                .startsWith("Channel: connected")
                .contains("250 B to the VM, 226 B to dom0")
                .endsWith("no sync yet");
        assertThat(GuestWindow.statusLine(connected, false, Optional.empty())).contains("guest agent handshaking");
    }

    @Test
    void statusLineShowsTheHostAppsStateWhileWaitingAndItsLastSync() {
        VmStatus host = new VmStatus(
                "demo-vm",
                "/tmp/x/demo-vm.sock",
                "config",
                VmState.CONNECTING,
                SyncMode.BOTH,
                false,
                Optional.of(Instant.parse("2026-01-01T10:00:00Z")),
                0,
                0,
                Optional.empty(),
                Optional.empty());
        assertThat(GuestWindow.statusLine(stats(false, 0, 0), false, Optional.of(host)))
                .contains("waiting for the host app (connecting)")
                .contains("last sync ");
    }

    @Test
    void theWindowSaysItIsASimulation() {
        assertThat(GuestWindow.TITLE).isEqualTo("demo-vm: guest clipboard");
        assertThat(GuestWindow.SIMULATION_NOTICE)
                .contains("simulated VM")
                .contains("real protocol over a simulated Xen channel");
    }

    private static ChannelStats stats(boolean clientConnected, long toGuest, long toDom0) {
        return new ChannelStats(toGuest, toDom0, 0, 0, 0, 0, 0, 0, 1, clientConnected, true, 1);
    }
}
