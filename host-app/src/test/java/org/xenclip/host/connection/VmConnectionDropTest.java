package org.xenclip.host.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.xenclip.host.testing.Await;
import org.xenclip.host.testing.TestGuest;
import org.xenclip.host.vm.VmState;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;

/**
 * The peer closing dom0's socket (QEMU dropping the client, a half-close, a reset) is noticed at once, not
 * by a heartbeat: with heartbeats and the agent timeout far longer than the wait, only the I/O loop seeing
 * the hang-up can pass these tests.
 */
class VmConnectionDropTest {

    /**
     * How soon a drop must be seen: generous for a loaded machine (this is no speed check; the e2e loop
     * measures convergence), yet far below the heartbeat below, so the heartbeat cannot be what notices.
     */
    private static final Duration NOTICE = Duration.ofSeconds(10);

    /** Heartbeats and timeouts far beyond {@link #NOTICE}; a short, small back-off. */
    private static final ConnectionTiming SLOW_HEARTBEAT = new ConnectionTiming(
            Duration.ofMillis(50),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(60),
            16L << 20,
            Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    private volatile VmState state = VmState.OFF;
    private volatile Optional<String> reason = Optional.empty();
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

    private VmConnection connect(Path socket) {
        connection = new VmConnection("vm1", socket, SessionConfig.defaults(), true, SLOW_HEARTBEAT, e -> {
            events.add(e);
            if (e instanceof ConnectionEvent.StateChanged s) {
                state = s.state();
                reason = s.reason();
            }
        });
        connection.start();
        return connection;
    }

    private void awaitConnected() {
        Await.until("vm1 CONNECTED (now " + state + ")", Duration.ofSeconds(10), () -> state == VmState.CONNECTED);
        Await.until("the agent established", Duration.ofSeconds(10), guest::established);
    }

    private long connectedCount() {
        return events.stream()
                .filter(e -> e instanceof ConnectionEvent.StateChanged s && s.state() == VmState.CONNECTED)
                .count();
    }

    private void assertReconnectsAndTextCrosses(long connectedBefore) {
        Await.until(
                "vm1 CONNECTED again (now " + state + ")",
                NOTICE.multipliedBy(2),
                () -> connectedCount() > connectedBefore && state == VmState.CONNECTED);
        Await.until("the agent established again", Duration.ofSeconds(5), guest::established);
        assertThat(guest.connections()).isEqualTo(2);
        connection.send(ClipboardText.of("after the drop"));
        Await.until(
                "text reached the agent after the reconnect",
                Duration.ofSeconds(5),
                () -> guest.lastReceivedIs("after the drop"));
        guest.copy("from the guest after the drop");
        Await.until("text reached dom0 after the reconnect", Duration.ofSeconds(5), () -> events.stream()
                .anyMatch(e -> e instanceof ConnectionEvent.Received r
                        && r.text().text().equals("from the guest after the drop")));
    }

    @Test
    void qemuDroppingTheClientIsNoticedAtOnceAndTheConnectionComesBack() throws Exception {
        guest = new TestGuest("vm1", dir.resolve("vm1.sock"));
        connect(guest.socket());
        awaitConnected();
        long before = connectedCount();

        guest.dropClient();

        Await.until("vm1 left CONNECTED (now " + state + ")", NOTICE, () -> state != VmState.CONNECTED);
        assertThat(reason).hasValueSatisfying(r -> assertThat(r).contains("closed the channel"));
        assertReconnectsAndTextCrosses(before);
    }

    @Test
    void aHalfCloseIsNoticedAtOnceAndTheConnectionComesBack() throws Exception {
        guest = new TestGuest("vm1", dir.resolve("vm1.sock"));
        connect(guest.socket());
        awaitConnected();
        long before = connectedCount();

        guest.halfCloseClient();

        Await.until("vm1 left CONNECTED (now " + state + ")", NOTICE, () -> state != VmState.CONNECTED);
        assertThat(reason).hasValueSatisfying(r -> assertThat(r).contains("closed the channel"));
        assertReconnectsAndTextCrosses(before);
    }

    @Test
    void aResetIsNoticedAtOnceWithAReasonThatSaysWhat() throws Exception {
        Path socket = dir.resolve("reset.sock");
        try (AFUNIXServerSocket server = AFUNIXServerSocket.newInstance()) {
            server.bind(AFUNIXSocketAddress.of(socket));
            connect(socket);
            try (AFUNIXSocket peer = server.accept()) {
                // dom0 speaks first (its ProtocolVersion); leave it unread so that closing resets the socket
                Await.until(
                        "dom0 handshaking (now " + state + ")",
                        Duration.ofSeconds(5),
                        () -> state == VmState.HANDSHAKING);
                Await.until("dom0's greeting waiting unread", Duration.ofSeconds(5), () -> {
                    try {
                        return peer.getInputStream().available() > 0;
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
            }
            Await.until("vm1 left HANDSHAKING (now " + state + ")", NOTICE, () -> state != VmState.HANDSHAKING);
            assertThat(reason).hasValueSatisfying(r -> assertThat(r)
                    .doesNotContain("null")
                    .containsAnyOf("closed the channel", "Connection reset"));
        }
    }

    @Test
    void anErrorWithoutAMessageIsDescribedByItsType() {
        assertThat(VmConnection.describe(new java.net.SocketException())).isEqualTo("SocketException");
        assertThat(VmConnection.describe(new java.io.IOException("Broken pipe")))
                .isEqualTo("Broken pipe");
    }
}
