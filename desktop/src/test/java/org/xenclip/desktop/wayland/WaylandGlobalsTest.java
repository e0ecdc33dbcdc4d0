package org.xenclip.desktop.wayland;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry probe's parsing against a scripted peer on a real Unix socket (the real compositors are in
 * {@link WaylandClipboardTest} and {@code ClipboardBackendsTest}).
 */
class WaylandGlobalsTest {

    private final Path dir = createDir();
    private final Path socket = dir.resolve("wayland-test");

    private static Path createDir() {
        try {
            return Files.createTempDirectory("wl-globals-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void clean() throws IOException {
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** Accepts one client, reads its 24 request bytes, answers {@code reply}, then closes. */
    private CompletableFuture<byte[]> peer(ByteBuffer reply, boolean close) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return CompletableFuture.supplyAsync(() -> {
            try (server;
                    SocketChannel client = server.accept()) {
                ByteBuffer request = ByteBuffer.allocate(24);
                while (request.hasRemaining() && client.read(request) >= 0) {
                    // read the whole request
                }
                reply.flip();
                while (reply.hasRemaining()) {
                    client.write(reply);
                }
                if (!close) {
                    client.read(ByteBuffer.allocate(1)); // hold the line open until the client gives up
                }
                return request.array();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    }

    private static void global(ByteBuffer out, int name, String iface, int version) {
        byte[] bytes = iface.getBytes(StandardCharsets.UTF_8);
        int padded = (bytes.length + 1 + 3) & ~3;
        out.putInt(2).putInt((8 + 4 + 4 + padded + 4) << 16); // wl_registry.global
        out.putInt(name).putInt(bytes.length + 1).put(bytes);
        for (int i = bytes.length; i < padded; i++) {
            out.put((byte) 0);
        }
        out.putInt(version);
    }

    @Test
    void listsGlobalsUntilTheSyncCallback() throws Exception {
        ByteBuffer reply = buffer();
        global(reply, 1, "wl_seat", 7);
        global(reply, 2, "zwlr_data_control_manager_v1", 2);
        global(reply, 3, "abc", 1); // a name whose NUL ends exactly on the word boundary
        reply.putInt(3).putInt(12 << 16).putInt(42); // wl_callback.done
        CompletableFuture<byte[]> request = peer(reply, false);
        Map<String, Integer> globals = WaylandGlobals.list(socket, Duration.ofSeconds(5));
        assertThat(globals)
                .containsExactly(
                        Map.entry("wl_seat", 7), Map.entry("zwlr_data_control_manager_v1", 2), Map.entry("abc", 1));
        ByteBuffer sent = ByteBuffer.wrap(request.get()).order(ByteOrder.nativeOrder());
        // wl_display.get_registry(new id 2), then wl_display.sync(new id 3)
        assertThat(new int[] {sent.getInt(), sent.getInt(), sent.getInt(), sent.getInt(), sent.getInt(), sent.getInt()})
                .containsExactly(1, 12 << 16 | 1, 2, 1, 12 << 16, 3);
    }

    @Test
    void rejectsAMalformedSize() throws Exception {
        ByteBuffer reply = buffer();
        reply.putInt(2).putInt(4 << 16);
        CompletableFuture<byte[]> request = peer(reply, false);
        assertThatThrownBy(() -> WaylandGlobals.list(socket, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class)
                .hasMessage("malformed Wayland message: size 4");
        assertThat(request.get(5, TimeUnit.SECONDS))
                .as("the request the client sent")
                .hasSize(24);
    }

    @Test
    void reportsACompositorError() throws Exception {
        ByteBuffer reply = buffer();
        byte[] text = "bad\0".getBytes(StandardCharsets.US_ASCII);
        reply.putInt(1)
                .putInt((8 + 8 + 4 + 4) << 16)
                .putInt(1)
                .putInt(0)
                .putInt(4)
                .put(text);
        CompletableFuture<byte[]> request = peer(reply, false);
        assertThatThrownBy(() -> WaylandGlobals.list(socket, Duration.ofSeconds(5)))
                .hasMessage("Wayland compositor error 0: bad");
        assertThat(request.get(5, TimeUnit.SECONDS))
                .as("the request the client sent")
                .hasSize(24);
    }

    @Test
    void reportsAClosedConnectionAndSilence() throws Exception {
        CompletableFuture<byte[]> closedRequest = peer(buffer(), true);
        assertThatThrownBy(() -> WaylandGlobals.list(socket, Duration.ofSeconds(5)))
                .hasMessage("Wayland compositor at " + socket + " closed the connection");
        assertThat(closedRequest.get(5, TimeUnit.SECONDS))
                .as("the request the client sent")
                .hasSize(24);
        Files.deleteIfExists(socket);
        CompletableFuture<byte[]> silentRequest = peer(buffer(), false);
        assertThatThrownBy(() -> WaylandGlobals.list(socket, Duration.ofMillis(200)))
                .hasMessage("Wayland compositor at " + socket + " did not answer within 200 ms");
        assertThat(silentRequest.get(5, TimeUnit.SECONDS))
                .as("the request the client sent")
                .hasSize(24);
    }

    @Test
    void findsTheSocketAsLibwaylandDoes() {
        assertThat(WaylandGlobals.socket("wayland-1", "/run/user/1000")).contains(Path.of("/run/user/1000/wayland-1"));
        assertThat(WaylandGlobals.socket("/tmp/abs", null)).contains(Path.of("/tmp/abs"));
        assertThat(WaylandGlobals.socket("wayland-1", null)).isEqualTo(Optional.empty());
        assertThat(WaylandGlobals.socket("", "/run")).isEmpty();
    }
}
