package org.xenclip.channelsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultCommandTest {
    @Test
    void parsesEveryCommand() {
        assertThat(FaultCommand.parse("drop")).isInstanceOf(FaultCommand.Drop.class);
        assertThat(FaultCommand.parse("reboot")).isEqualTo(new FaultCommand.Reboot(Duration.ZERO));
        assertThat(FaultCommand.parse("  reboot 250 ")).isEqualTo(new FaultCommand.Reboot(Duration.ofMillis(250)));
        assertThat(FaultCommand.parse("corrupt guest")).isEqualTo(new FaultCommand.Corrupt(Direction.TO_GUEST));
        assertThat(FaultCommand.parse("stall dom0")).isEqualTo(new FaultCommand.Stall(Direction.TO_DOM0));
        assertThat(FaultCommand.parse("RESUME Guest")).isEqualTo(new FaultCommand.Resume(Direction.TO_GUEST));
        assertThat(FaultCommand.parse("stats")).isInstanceOf(FaultCommand.Stats.class);
        assertThat(FaultCommand.parse("help")).isInstanceOf(FaultCommand.Help.class);
        assertThat(FaultCommand.parse("quit")).isInstanceOf(FaultCommand.Quit.class);
        assertThat(FaultCommand.parse("")).isInstanceOf(FaultCommand.Nothing.class);
        assertThat(FaultCommand.parse("# a comment")).isInstanceOf(FaultCommand.Nothing.class);
    }

    @Test
    void parsesInjectedHexBytes() {
        FaultCommand.Inject inject = (FaultCommand.Inject) FaultCommand.parse("inject guest 0d0A5b00ff");
        assertThat(inject.direction()).isEqualTo(Direction.TO_GUEST);
        assertThat(inject.bytes()).containsExactly(0x0d, 0x0a, 0x5b, 0x00, 0xff);
        FaultCommand.Inject attached = (FaultCommand.Inject) FaultCommand.parse("attached");
        assertThat(attached.direction()).isEqualTo(Direction.TO_DOM0);
        assertThat(attached.bytes()).isEqualTo(SimulatedChannel.WINDOWS_ATTACH_BANNER);
    }

    @Test
    void rejectsMalformedCommandsWithExactMessages() {
        assertRejected("fly", "unknown command 'fly' (try help)");
        assertRejected("drop now", "drop takes no arguments");
        assertRejected("stall", "stall needs one direction: guest or dom0");
        assertRejected("stall up", "direction 'up' is not one of: guest, dom0");
        assertRejected("inject guest", "inject needs a direction (guest or dom0) and HEX bytes");
        assertRejected("inject guest abc", "inject bytes 'abc' have an odd number of hex digits");
        assertRejected("inject dom0 zz", "inject bytes 'zz' are not hex");
        assertRejected("reboot soon", "reboot downtime 'soon' is not a number of ms");
        assertRejected("reboot -1", "reboot downtime -1 ms is outside 0..600000 ms");
        assertRejected("reboot 1 2", "reboot takes at most one argument, MILLIS");
    }

    private static void assertRejected(String line, String message) {
        assertThatThrownBy(() -> FaultCommand.parse(line))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
