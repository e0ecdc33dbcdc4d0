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
 * What dom0 records when the agent takes its text (that the VM holds it, for the reconnect rule) is recorded
 * before the text goes out, so that a dom0 app killed right after answering the agent still knows on restart;
 * and the agent's reading of the text is proven by its answer to a peek sent behind it.
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
    void theTakeIsRecordedBeforeTheTextReachesTheAgentAndOnlyOnce() throws Exception {
        guest = new TestGuest("vm1", dir.resolve("vm1.sock"));
        AtomicReference<VmState> state = new AtomicReference<>(VmState.OFF);
        AtomicInteger got = new AtomicInteger();
        connection = new VmConnection(
                "vm1", guest.socket(), SessionConfig.defaults(), true, ConnectionTiming.defaults(), e -> {
                    if (e instanceof ConnectionEvent.StateChanged s) {
                        state.set(s.state());
                    } else if (e instanceof ConnectionEvent.GotText) {
                        got.incrementAndGet();
                    }
                });
        connection.start();
        Await.until("vm1 CONNECTED", T, () -> state.get() == VmState.CONNECTED && guest.established());

        String text = "dom0's text";
        AtomicInteger taken = new AtomicInteger();
        AtomicReference<Boolean> agentHadItAlready = new AtomicReference<>();
        connection.send(ClipboardText.of(text), () -> {
            agentHadItAlready.set(guest.lastReceivedIs(text));
            taken.incrementAndGet();
        });
        Await.until("the agent holding dom0's text", T, () -> guest.lastReceivedIs(text));
        assertThat(taken).hasValue(1);
        assertThat(agentHadItAlready).hasValue(false);
        // the agent answered the peek sent behind the text: it has read it
        Await.until("GotText", T, () -> got.get() == 1);

        // a later text the agent takes too: its own record, the first one's not run again
        AtomicInteger second = new AtomicInteger();
        connection.send(ClipboardText.of("the next one"), second::incrementAndGet);
        Await.until("the agent holding the next text", T, () -> guest.lastReceivedIs("the next one"));
        assertThat(second).hasValue(1);
        assertThat(taken).hasValue(1);
        Await.until("GotText for the next text", T, () -> got.get() == 2);
    }
}
