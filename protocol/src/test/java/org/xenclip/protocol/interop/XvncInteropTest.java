package org.xenclip.protocol.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent.Established;
import org.xenclip.protocol.SessionEvent.OversizeDropped;
import org.xenclip.protocol.SessionEvent.ProtocolError;
import org.xenclip.protocol.SessionEvent.TextReceived;

/**
 * Our {@link org.xenclip.protocol.ClientSession} against TigerVNC's Xvnc, a standards-conforming RFB 3.8
 * server that relays the X clipboard (protocol.md: "interoperability matters").
 *
 * <p>Where TigerVNC 1.12 (Debian 12) departs from the letter of the spec, as observed on the wire:
 *
 * <ul>
 *   <li>Its provide messages carry a zlib stream that is sync-flushed (ends in {@code 00 00 ff ff}) but never
 *       finished: no final block, no Adler-32 trailer. The inflater must accept a stream that stops there.
 *   <li>Its caps advertise 0 as the largest unsolicited text it accepts, so a client must always announce
 *       with notify and provide only on request; it then asks (request) when an X client pastes.
 *   <li>Its ServerInit has a real framebuffer (320x200 here) and a desktop name like {@code root@host}: the
 *       client must not validate either.
 *   <li>To a client whose caps accept unsolicited text it sends provide directly, without notify first.
 *   <li>It turns every line end of the X clipboard, a lone CR included, into CRLF; our profile keeps a lone
 *       CR as content (rule 5). And it treats the text as a C string: whatever follows a NUL is lost.
 * </ul>
 */
class XvncInteropTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Xvnc xvnc;
    private SocketClientDriver client;

    @BeforeEach
    void startXvnc() throws IOException, InterruptedException {
        xvnc = Xvnc.start(Path.of("target", "xvnc"));
    }

    @AfterEach
    void stop() throws IOException, InterruptedException {
        if (client != null) {
            client.close();
        }
        if (xvnc != null) {
            xvnc.close();
        }
    }

    @Test
    void handshakeCompletesAndExtendedClipboardIsNegotiated() throws Exception {
        connect(true);

        client.await(Established.class, e -> true, TIMEOUT, "Established");
        awaitTrue(client::isExtendedClipboard, "the Extended Clipboard to be negotiated with Xvnc");
        assertThat(client.isEstablished()).isTrue();
        assertNoErrors();
    }

    @Test
    void unicodeTextCopiedInXvncArrivesAsTextReceived() throws Exception {
        connect(true);
        awaitTrue(client::isExtendedClipboard, "the Extended Clipboard to be negotiated with Xvnc");
        String copied = "日本語のテキスト 中文 한국어 😀🎉 € ü\nsecond line\n\tthird";

        xvnc.setClipboard(copied);

        TextReceived received = client.await(TextReceived.class, t -> !t.text().isEmpty(), TIMEOUT, "the copied text");
        assertThat(received.text()).isEqualTo(new ClipboardText(copied));
        assertNoErrors();
    }

    @Test
    void unicodeTextSentBecomesTheXvncClipboard() throws Exception {
        connect(true);
        awaitTrue(client::isExtendedClipboard, "the Extended Clipboard to be negotiated with Xvnc");
        String sent = "送信 テスト 🚀👍 Grüße €\nzweite Zeile";

        client.sendText(new ClipboardText(sent));

        awaitClipboard(sent);
        assertNoErrors();
    }

    /**
     * 100 KiB each way: many zlib blocks and many socket reads, below Xvnc's default MaxCutText (256 KiB) and
     * our 1 MiB cap.
     */
    @Test
    void largeUnicodeTextTravelsBothWays() throws Exception {
        connect(true);
        awaitTrue(client::isExtendedClipboard, "the Extended Clipboard to be negotiated with Xvnc");
        String copied = bigText("コピー 😀 ", 100 * 1024);
        String sent = bigText("送信 🚀 ", 100 * 1024);

        xvnc.setClipboard(copied);
        TextReceived received = client.await(TextReceived.class, t -> !t.text().isEmpty(), TIMEOUT, "the copied text");
        assertThat(received.text().text()).isEqualTo(copied);

        client.sendText(new ClipboardText(sent));
        awaitClipboard(sent);
        assertNoErrors();
    }

    /** Documents the two TigerVNC habits in the class comment; and that such text reaches us intact. */
    @Test
    void xvncTurnsLoneCrIntoLineEndsAndCutsAtNul() throws Exception {
        connect(true);
        awaitTrue(client::isExtendedClipboard, "the Extended Clipboard to be negotiated with Xvnc");

        xvnc.setClipboard("a\rb\r\r\nc\u0000d");

        TextReceived received = client.await(TextReceived.class, t -> !t.text().isEmpty(), TIMEOUT, "the copied text");
        assertThat(received.text().text()).isEqualTo("a\nb\n\nc");
        assertNoErrors();
    }

    @Test
    void legacyHandshakeWithoutTheExtension() throws Exception {
        connect(false);

        Established established = client.await(Established.class, e -> true, TIMEOUT, "Established");
        assertThat(established.extendedClipboard()).isFalse();
        assertThat(client.isExtendedClipboard()).isFalse();
        assertNoErrors();
    }

    @Test
    void legacyTextCopiedInXvncArrivesAsLatin1() throws Exception {
        connect(false);
        client.await(Established.class, e -> true, TIMEOUT, "Established");

        xvnc.setClipboard("héllo wörld € 日本 😀\nline");

        TextReceived received = client.await(TextReceived.class, t -> !t.text().isEmpty(), TIMEOUT, "the copied text");
        // TigerVNC, like us, turns every code point outside Latin-1 into one '?'.
        assertThat(received.text()).isEqualTo(new ClipboardText("héllo wörld ? ?? ?\nline"));
        assertNoErrors();
    }

    @Test
    void legacyTextSentBecomesTheXvncClipboard() throws Exception {
        connect(false);
        client.await(Established.class, e -> true, TIMEOUT, "Established");

        client.sendText(new ClipboardText("grüße € 日本\nzeile"));

        awaitClipboard("grüße ? ??\nzeile");
        assertNoErrors();
    }

    // --- helpers --------------------------------------------------------------------------------------

    /** Numbered lines of {@code unit} up to about {@code utf8Bytes}, so that a shifted or lost block shows. */
    private static String bigText(String unit, int utf8Bytes) {
        StringBuilder sb = new StringBuilder();
        for (int line = 0; sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length < utf8Bytes; ) {
            for (int i = 0; i < 64; i++, line++) {
                sb.append(line).append(' ').append(unit).append(unit).append('\n');
            }
        }
        return sb.toString();
    }

    private void connect(boolean extended) throws IOException {
        client = SocketClientDriver.connect(
                xvnc.port(), SessionConfig.defaults().withExtendedClipboard(extended), TIMEOUT);
    }

    private void assertNoErrors() {
        assertThat(client.failure()).as("I/O loop failure").isNull();
        assertThat(client.seen())
                .as("events from Xvnc")
                .noneMatch(e -> e instanceof ProtocolError || e instanceof OversizeDropped);
    }

    /** Polls xclip (a user's paste) until it shows the expected text or the deadline passes. */
    private void awaitClipboard(String expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = xvnc.readClipboard();
            if (expected.equals(last)) {
                return;
            }
            pollPause();
        }
        throw new AssertionError("the X clipboard of Xvnc " + xvnc.display() + " did not become the sent text ("
                + expected.length() + " chars) within " + TIMEOUT + "; last read "
                + (last == null ? "nothing" : last.length() + " chars") + "; events " + client.seen()
                + "; Xvnc log:\n" + xvnc.logTail());
    }

    private void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || client.failure() != null) {
                throw new AssertionError(
                        "timed out after " + TIMEOUT + " waiting for " + what + "; events " + client.seen(),
                        client.failure());
            }
            pollPause();
        }
    }

    /** The interval between two looks at a condition that has no event to wait on. */
    private static void pollPause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
    }
}
