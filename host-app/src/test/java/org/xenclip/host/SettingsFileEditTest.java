package org.xenclip.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.xenclip.host.EngineFixture.awaitState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.settings.SettingsStore;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.TestGuest;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.host.vm.VmState;

/**
 * {@code --no-ui}'s live control: the settings file edited by hand while the engine runs. A real file, edited
 * the ways editors do (in place, and a new file renamed over the old one), changes what crosses real sockets;
 * a broken edit is reported and changes nothing.
 */
class SettingsFileEditTest {

    @TempDir
    Path tmp;

    private HostEngine engine;
    private SettingsStore store;
    private final MemoryClipboard clipboard = new MemoryClipboard();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private String settings(TestGuest work, TestGuest web, String workMode, String extra) {
        return "default-mode=off\n"
                + extra
                + "vm.web.mode=both\n"
                + "vm.web.path=" + web.socket() + "\n"
                + "vm.work.mode=" + workMode + "\n"
                + "vm.work.path=" + work.socket() + "\n";
    }

    /** As {@code sed -i} and most editors save: a new file renamed over the old one. */
    private void replaceFile(Path file, String text) throws IOException {
        Path next = file.resolveSibling("edit.tmp");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void editsOfTheSettingsFileApplyToTheRunningEngineAndABrokenEditChangesNothing() throws Exception {
        try (TestGuest work = new TestGuest("work", tmp.resolve("work.sock"));
                TestGuest web = new TestGuest("web", tmp.resolve("web.sock"))) {
            Path config = tmp.resolve("config");
            Files.createDirectories(config);
            Path file = config.resolve(SettingsStore.FILE_NAME);
            Files.writeString(file, settings(work, web, "off", ""), StandardCharsets.UTF_8);
            store = SettingsStore.open(config, Duration.ofMillis(50), problems::add);
            engine = new HostEngine(
                    store,
                    new HostEngine.Options(List.of(), Optional.empty(), Optional.empty(), EngineFixture.fastTiming()),
                    clipboard);
            engine.start();
            store.watchFile(Duration.ofMillis(100));
            awaitState(engine, "web", VmState.CONNECTED);
            awaitState(engine, "work", VmState.OFF);

            clipboard.userCopies("while work is off");
            Await.until("web got the copy", () -> web.received().contains("while work is off"));
            assertThat(work.connections()).as("connections to the off VM").isZero();

            // Turned on by an edit: a connection, and the next copy crosses its wire.
            replaceFile(file, settings(work, web, "both", ""));
            awaitState(engine, "work", VmState.CONNECTED);
            assertThat(EngineFixture.status(engine, "work").mode()).isEqualTo(SyncMode.BOTH);
            clipboard.userCopies("work is on");
            Await.until(
                    "work got the copy after the edit", () -> work.received().contains("work is on"));

            // A broken edit, written in place: reported, ignored, the last good settings stay.
            Files.writeString(file, settings(work, web, "sideways", ""), StandardCharsets.UTF_8);
            Await.until("the broken edit reported (problems " + problems + ")", () -> problems.stream()
                    .anyMatch(p -> p.contains("was edited and is broken")
                            && p.contains("'sideways'")
                            && p.contains("the last good settings stay in use")));
            assertThat(store.current().modeOf("work")).contains(SyncMode.BOTH);
            assertThat(Files.readString(file))
                    .as("the user's broken file is left for them to fix")
                    .contains("vm.work.mode=sideways");
            clipboard.userCopies("after the broken edit");
            Await.until("work still served", () -> work.received().contains("after the broken edit"));
            assertThat(EngineFixture.status(engine, "work").state()).isEqualTo(VmState.CONNECTED);

            // Off again by an edit: the connection closes and nothing more crosses that wire.
            replaceFile(file, settings(work, web, "off", ""));
            awaitState(engine, "work", VmState.OFF);
            clipboard.userCopies("work is off again");
            Await.until("web got the copy", () -> web.received().contains("work is off again"));
            assertThat(work.wireContains("work is off again")).isFalse();

            // Other settings apply too: the global pause.
            replaceFile(file, settings(work, web, "off", "paused=true\n"));
            Await.until("paused by the edit", engine::isPaused);
            clipboard.userCopies("while paused");
            clipboard.userCopies("while paused, again");
            replaceFile(file, settings(work, web, "off", "paused=false\n"));
            Await.until("unpaused by the edit", () -> !engine.isPaused());
            clipboard.userCopies("unpaused");
            Await.until("web got the copy after the pause", () -> web.received().contains("unpaused"));
            assertThat(web.wireContains("while paused")).isFalse();

            // A VM named in an edit (its socket path) is added and connected.
            try (TestGuest late = new TestGuest("late", tmp.resolve("late.sock"))) {
                replaceFile(
                        file,
                        settings(work, web, "off", "") + "vm.late.mode=both\nvm.late.path=" + late.socket() + "\n");
                awaitState(engine, "late", VmState.CONNECTED);
                clipboard.userCopies("to the late VM");
                Await.until("the VM added by the edit got the copy", () -> late.received()
                        .contains("to the late VM"));
            }
            assertThat(problems).hasSize(1);
        }
    }
}
