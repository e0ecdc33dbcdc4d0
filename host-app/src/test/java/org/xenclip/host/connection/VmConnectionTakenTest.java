package org.xenclip.host.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.TestGuest;
import org.xenclip.host.vm.VmState;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;

/**
 * The agent's asking for dom0's text is reported as taken, and its reading all of it, proven by its answer to a
 * peek sent behind the text, as got: only the second lets dom0 record that the VM holds the text.
 */
class VmConnectionTakenTest {

    private static final Duration T = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private VmConnection connection;
    private TestGuest guest;

    @AfterEach
    void tearDown() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (guest != null) {
            guest.close();
        }
    }

    @Test
    void eachTextIsReportedTakenThenGotOnce() throws Exception {
        guest = new TestGuest("vm1", dir.resolve("vm1.sock"));
        AtomicReference<VmState> state = new AtomicReference<>(VmState.OFF);
        AtomicInteger took = new AtomicInteger();
        AtomicInteger got = new AtomicInteger();
        AtomicReference<Boolean> gotBeforeTook = new AtomicReference<>(false);
        connection = new VmConnection(
                "vm1", guest.socket(), SessionConfig.defaults(), true, ConnectionTiming.defaults(), e -> {
                    if (e instanceof ConnectionEvent.StateChanged s) {
                        state.set(s.state());
                    } else if (e instanceof ConnectionEvent.TookText) {
                        took.incrementAndGet();
                    } else if (e instanceof ConnectionEvent.GotText) {
                        if (got.incrementAndGet() > took.get()) {
                            gotBeforeTook.set(true);
                        }
                    }
                });
        connection.start();
        Await.until("vm1 CONNECTED", T, () -> state.get() == VmState.CONNECTED && guest.established());

        connection.send(ClipboardText.of("dom0's text"));
        Await.until("the agent holding dom0's text", T, () -> guest.lastReceivedIs("dom0's text"));
        // the agent answered the peek sent behind the text: it has read it
        Await.until("GotText", T, () -> got.get() == 1);
        assertThat(took).hasValue(1);

        connection.send(ClipboardText.of("the next one"));
        Await.until("the agent holding the next text", T, () -> guest.lastReceivedIs("the next one"));
        Await.until("GotText for the next text", T, () -> got.get() == 2);
        assertThat(took).hasValue(2);
        assertThat(gotBeforeTook).as("a text reported got before it was taken").hasValue(false);
    }
}
