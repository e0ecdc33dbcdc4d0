package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.EngineFixture.awaitState;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.desktop.ClipboardBackends;
import org.xenclip.desktop.Selection;
import org.xenclip.desktop.testing.XClip;
import org.xenclip.desktop.testing.XvfbServer;
import org.xenclip.host.settings.StaticVm;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.TestGuest;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

/**
 * End to end on dom0's side: a real X server (Xvfb), xclip as the dom0 user, the desktop module's X11
 * clipboard in the engine, and a real Unix socket with a protocol client per VM.
 */
class XvfbEndToEndTest {

    private static XvfbServer xvfb;
    private static XClip user;

    @TempDir
    Path tmp;

    private HostEngine engine;

    @BeforeAll
    static void startX() {
        xvfb = XvfbServer.shared(); // AWT binds one display per JVM
        user = new XClip(xvfb);
    }

    @AfterAll
    static void stopX() {
        if (user != null) {
            user.close();
        }
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
    }

    private void start(List<StaticVm> vms) throws Exception {
        LocalClipboard clipboard = new BackendClipboard(
                ClipboardBackends.open(ClipboardBackends.Choice.X11, Selection.CLIPBOARD, xvfb.environment()));
        engine = EngineFixture.engine(tmp.resolve("config"), clipboard, vms, Optional.empty());
        engine.start();
    }

    private Optional<String> dom0Clipboard() {
        return user.get(Selection.CLIPBOARD);
    }

    @Test
    void dom0CopyReachesEnabledVmsOnlyAndVmTextReachesDom0WithoutEcho() throws Exception {
        try (TestGuest on = new TestGuest("on", tmp.resolve("on.sock"));
                TestGuest in = new TestGuest("in", tmp.resolve("in.sock"));
                TestGuest off = new TestGuest("off", tmp.resolve("off.sock"))) {
            start(List.of(
                    new StaticVm("on", on.socket(), Optional.of(SyncMode.BOTH)),
                    new StaticVm("in", in.socket(), Optional.of(SyncMode.FROM_GUEST)),
                    new StaticVm("off", off.socket(), Optional.of(SyncMode.OFF))));
            awaitState(engine, "on", VmState.CONNECTED);
            awaitState(engine, "in", VmState.CONNECTED);

            user.set(Selection.CLIPBOARD, "from dom0: grüße 日本 😀");
            Await.until("the enabled VM got dom0's copy", Duration.ofSeconds(10), () -> on.received()
                    .contains("from dom0: grüße 日本 😀"));

            on.copy("from the VM\nline two");
            Await.until("dom0 clipboard holds the VM's text", Duration.ofSeconds(10), () -> dom0Clipboard()
                    .orElse("")
                    .equals("from the VM\nline two"));

            user.set(Selection.CLIPBOARD, "marker");
            Await.until("marker reached the enabled VM", Duration.ofSeconds(10), () -> on.received()
                    .contains("marker"));
            assertThat(on.received())
                    .as("the VM's own text never came back to it")
                    .containsExactly("from dom0: grüße 日本 😀", "marker");
            assertThat(in.received())
                    .as("dom0->VM is closed for a from-guest VM")
                    .isEmpty();
            assertThat(in.wireContains("from dom0")).isFalse();
            assertThat(in.wireContains("from the VM"))
                    .as("not relayed between VMs")
                    .isFalse();
            assertThat(off.connections()).isZero();
            assertThat(off.wireFromDom0()).isEmpty();
        }
    }

    @Test
    void reconnectingVmGetsDom0sCurrentText() throws Exception {
        try (TestGuest vm = new TestGuest("vm", tmp.resolve("vm.sock"))) {
            start(List.of(new StaticVm("vm", vm.socket(), Optional.of(SyncMode.BOTH))));
            awaitState(engine, "vm", VmState.CONNECTED);
            vm.stop();
            awaitState(engine, "vm", VmState.WAITING_FOR_SOCKET);
            user.set(Selection.CLIPBOARD, "copied while the VM was down");
            vm.listen();
            Await.until("the VM got dom0's text after it came back", Duration.ofSeconds(10), () -> vm.received()
                    .contains("copied while the VM was down"));
        }
    }
}
