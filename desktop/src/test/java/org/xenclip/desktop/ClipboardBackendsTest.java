package org.xenclip.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardBackends.Choice;
import org.xenclip.desktop.testing.WaylandCompositor;
import org.xenclip.desktop.testing.XvfbServer;

class ClipboardBackendsTest {

    private final Logger logger = Logger.getLogger(ClipboardBackends.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(handler);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(handler);
    }

    private String logged(Level level) {
        return records.stream()
                .filter(r -> r.getLevel().equals(level))
                .map(LogRecord::getMessage)
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static Map<String, String> env(Map<String, String> a, Map<String, String> b) {
        Map<String, String> env = new HashMap<>(a);
        env.putAll(b);
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    @Test
    void parsesTheBackendFlag() {
        assertThat(Choice.parse("auto")).isEqualTo(Choice.AUTO);
        assertThat(Choice.parse("x11")).isEqualTo(Choice.X11);
        assertThat(Choice.parse("wayland")).isEqualTo(Choice.WAYLAND);
        assertThatThrownBy(() -> Choice.parse("X11"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown backend 'X11': expected auto, x11 or wayland");
    }

    @Test
    void failsClearlyWithoutAnyDisplay() {
        assertThatThrownBy(() -> ClipboardBackends.open(Choice.AUTO, Selection.CLIPBOARD, Map.of()))
                .isInstanceOf(ClipboardException.class)
                .hasMessage("no desktop clipboard: DISPLAY is not set");
        assertThatThrownBy(() -> ClipboardBackends.open(Choice.X11, Selection.CLIPBOARD, Map.of()))
                .hasMessage("X11 backend unavailable: DISPLAY is not set");
        assertThatThrownBy(() -> ClipboardBackends.open(Choice.WAYLAND, Selection.CLIPBOARD, Map.of()))
                .hasMessage("Wayland backend unavailable: WAYLAND_DISPLAY is not set");
    }

    @Test
    void autoPicksX11InAnX11Session() throws ClipboardException {
        XvfbServer xvfb = XvfbServer.shared();
        try (ClipboardBackend backend =
                ClipboardBackends.open(Choice.AUTO, Selection.CLIPBOARD, env(xvfb.environment(), Map.of()))) {
            assertThat(backend.name()).isEqualTo("x11-xfixes");
        }
        assertThat(logged(Level.INFO))
                .contains("clipboard backend x11-xfixes for CLIPBOARD on DISPLAY=" + xvfb.display()
                        + " (auto: X11 session (WAYLAND_DISPLAY not set))");
    }

    @Test
    void autoPicksWaylandWhenTheCompositorHasDataControl() throws ClipboardException {
        try (WaylandCompositor sway = WaylandCompositor.sway();
                ClipboardBackend backend = ClipboardBackends.open(
                        Choice.AUTO,
                        Selection.CLIPBOARD,
                        env(XvfbServer.shared().environment(), sway.environment()))) {
            assertThat(backend.name()).isEqualTo("wayland-wl-clipboard");
        }
        assertThat(logged(Level.INFO))
                .contains("clipboard backend wayland-wl-clipboard for CLIPBOARD")
                .contains("auto: Wayland session with data-control, zwlr_data_control_manager_v1 v");
    }

    @Test
    void autoFallsBackToXWaylandWithAWarningWhenDataControlIsMissing() throws ClipboardException {
        XvfbServer xvfb = XvfbServer.shared();
        try (WaylandCompositor weston = WaylandCompositor.westonOn(xvfb)) {
            assertThat(weston.globals()).containsKey("wl_seat").doesNotContainKey("zwlr_data_control_manager_v1");
            Map<String, String> env = env(xvfb.environment(), weston.environment());
            try (ClipboardBackend backend = ClipboardBackends.open(Choice.AUTO, Selection.CLIPBOARD, env)) {
                assertThat(backend.name()).isEqualTo("x11-xfixes");
            }
            assertThat(logged(Level.WARNING))
                    .contains("Wayland clipboard unusable (the compositor offers no data-control protocol"
                            + " (zwlr_data_control_manager_v1 or ext_data_control_manager_v1), which wl-paste --watch"
                            + " needs); using X11 through XWayland on " + xvfb.display());
            assertThatThrownBy(() -> ClipboardBackends.open(Choice.WAYLAND, Selection.CLIPBOARD, env))
                    .isInstanceOf(ClipboardException.class)
                    .hasMessage("Wayland backend unavailable: the compositor offers no data-control protocol"
                            + " (zwlr_data_control_manager_v1 or ext_data_control_manager_v1), which wl-paste --watch"
                            + " needs");
        }
    }

    @Test
    void aDeadWaylandSocketFallsBackToX11() throws ClipboardException {
        XvfbServer xvfb = XvfbServer.shared();
        Map<String, String> env =
                env(xvfb.environment(), Map.of("WAYLAND_DISPLAY", "wayland-none", "XDG_RUNTIME_DIR", "/nonexistent"));
        try (ClipboardBackend backend = ClipboardBackends.open(Choice.AUTO, Selection.PRIMARY, env)) {
            assertThat(backend.name()).isEqualTo("x11-xfixes");
        }
        assertThat(logged(Level.WARNING)).contains("cannot query the compositor at /nonexistent/wayland-none");
    }
}
