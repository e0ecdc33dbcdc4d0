package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.EngineFixture.awaitState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.TestGuest;
import org.xenclip.host.ui.WindowForTests;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

/**
 * The window on the real engine: ticking a VM's Sync box in the window connects it and lets a dom0 copy
 * cross its wire; unticking it disconnects it and nothing crosses any more. Real Unix sockets and a real
 * protocol client per VM; the dom0 clipboard in memory.
 */
@ExtendWith(ApplicationExtension.class)
class WindowWireTest {

    static {
        WindowForTests.headless();
    }

    private final Path tmp;
    private final MemoryClipboard clipboard = new MemoryClipboard();
    private final TestGuest guest;
    private final TestGuest other;
    private final HostEngine engine;

    WindowWireTest() throws Exception {
        tmp = Files.createTempDirectory("xenclip-window-wire");
        guest = new TestGuest("guest", tmp.resolve("guest.sock"));
        other = new TestGuest("other", tmp.resolve("other.sock"));
        engine = EngineFixture.engine(
                tmp.resolve("config"),
                clipboard,
                List.of(
                        new StaticVm("guest", guest.socket(), Optional.of(SyncMode.OFF)),
                        new StaticVm("other", other.socket(), Optional.of(SyncMode.BOTH))),
                Optional.empty());
        engine.start();
    }

    @Start
    void start(Stage stage) {
        WindowForTests.show(stage, engine);
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        guest.close();
        other.close();
    }

    @Test
    void tickingAVmInTheWindowDecidesWhatCrossesItsWire(FxRobot robot) throws Exception {
        awaitState(engine, "other", VmState.CONNECTED);
        clipboard.userCopies("before");
        Await.until("the enabled VM got the first copy", () -> other.received().contains("before"));
        assertThat(guest.connections()).as("an off VM is not connected").isZero();

        robot.clickOn(WindowForTests.syncBox(robot, "guest"));
        awaitState(engine, "guest", VmState.CONNECTED);
        clipboard.userCopies("while on");
        Await.until("the VM switched on in the window got the copy", () -> guest.received()
                .contains("while on"));

        robot.clickOn(WindowForTests.syncBox(robot, "guest"));
        awaitState(engine, "guest", VmState.OFF);
        int wireBytes = guest.wireFromDom0().length;
        clipboard.userCopies("after off");
        Await.until("the other VM got the later copy", () -> other.received().contains("after off"));

        // switching on may also hand the VM the clipboard of that moment ("before"): engine policy
        assertThat(guest.received()).contains("while on").doesNotContain("after off");
        assertThat(guest.wireFromDom0())
                .as("nothing more crossed the switched-off VM's wire")
                .hasSize(wireBytes);
        assertThat(guest.wireContains("after off")).isFalse();
    }
}
