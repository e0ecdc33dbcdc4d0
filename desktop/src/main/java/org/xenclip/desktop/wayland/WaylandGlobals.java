package org.xenclip.desktop.wayland;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lists the globals a Wayland compositor advertises, speaking just enough of the wire protocol (get_registry,
 * sync, and the events they cause) over the compositor's socket. This answers "does it offer data-control"
 * without a helper program and without timing guesses: the sync callback marks the end of the list.
 */
public final class WaylandGlobals {

    /** Wayland caps a message at 4096 bytes (wayland-util.h WL_MAX_MESSAGE_SIZE). */
    private static final int MAX_MESSAGE = 4096;

    private static final int DISPLAY_ID = 1;
    private static final int REGISTRY_ID = 2;
    private static final int CALLBACK_ID = 3;

    private WaylandGlobals() {}

    /**
     * The socket of {@code waylandDisplay}: an absolute path as is, else a name inside {@code runtimeDir}
     * (the rule libwayland-client applies).
     */
    public static Optional<Path> socket(String waylandDisplay, String runtimeDir) {
        if (waylandDisplay == null || waylandDisplay.isEmpty()) {
            return Optional.empty();
        }
        if (waylandDisplay.startsWith("/")) {
            return Optional.of(Path.of(waylandDisplay));
        }
        if (runtimeDir == null || runtimeDir.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(runtimeDir, waylandDisplay));
    }

    /**
     * The advertised globals, interface name to highest version.
     *
     * @throws IOException when the compositor cannot be reached, answers malformed, or not within
     *     {@code timeout}
     */
    public static Map<String, Integer> list(Path socket, Duration timeout) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector selector = Selector.open()) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            header(request, DISPLAY_ID, 1, 12).putInt(REGISTRY_ID); // wl_display.get_registry
            header(request, DISPLAY_ID, 0, 12).putInt(CALLBACK_ID); // wl_display.sync
            request.flip();
            while (request.hasRemaining()) {
                channel.write(request);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            long deadline = System.nanoTime() + timeout.toNanos();
            ByteBuffer in = ByteBuffer.allocate(2 * MAX_MESSAGE).order(ByteOrder.nativeOrder());
            Map<String, Integer> globals = new LinkedHashMap<>();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException(
                            "Wayland compositor at " + socket + " did not answer within " + timeout.toMillis() + " ms");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                if (channel.read(in) < 0) {
                    throw new IOException("Wayland compositor at " + socket + " closed the connection");
                }
                in.flip();
                if (parse(in, globals)) {
                    return globals;
                }
                in.compact();
            }
        }
    }

    private static ByteBuffer header(ByteBuffer buffer, int object, int opcode, int size) {
        return buffer.putInt(object).putInt(size << 16 | opcode);
    }

    /** Consumes whole messages; true once the sync callback fired. */
    private static boolean parse(ByteBuffer in, Map<String, Integer> globals) throws IOException {
        while (in.remaining() >= 8) {
            int start = in.position();
            int object = in.getInt(start);
            int word = in.getInt(start + 4);
            int size = word >>> 16;
            int opcode = word & 0xffff;
            if (size < 8 || size > MAX_MESSAGE || (size & 3) != 0) {
                throw new IOException("malformed Wayland message: size " + size);
            }
            if (in.remaining() < size) {
                return false;
            }
            ByteBuffer body = in.slice(start + 8, size - 8).order(ByteOrder.nativeOrder());
            in.position(start + size);
            if (object == CALLBACK_ID && opcode == 0) {
                return true;
            }
            if (object == DISPLAY_ID && opcode == 0) {
                body.getInt(); // object id
                int code = body.getInt();
                throw new IOException("Wayland compositor error " + code + ": " + string(body));
            }
            if (object == REGISTRY_ID && opcode == 0) {
                body.getInt(); // the global's numeric name
                String name = string(body);
                int version = body.getInt();
                globals.merge(name, version, Math::max);
            }
        }
        return false;
    }

    private static String string(ByteBuffer body) throws IOException {
        int length = body.getInt(); // includes the terminating NUL
        if (length <= 0 || length > body.remaining()) {
            throw new IOException("malformed Wayland string: length " + length);
        }
        byte[] bytes = new byte[length - 1];
        body.get(bytes);
        body.position(body.position() + 1 + ((4 - (length & 3)) & 3));
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
