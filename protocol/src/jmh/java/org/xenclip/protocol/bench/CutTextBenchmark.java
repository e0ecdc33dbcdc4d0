package org.xenclip.protocol.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xenclip.protocol.ClipboardText;
import org.xenclip.protocol.SessionConfig;
import org.xenclip.protocol.SessionEvent;
import org.xenclip.protocol.SessionOutput;
import org.xenclip.protocol.roundtrip.SessionPair;

/**
 * Throughput of cut text through the sessions' public API: encode is {@code ServerSession.sendText} on an
 * established session (Latin-1 conversion, or UTF-8 + CRLF + NUL + deflate), decode is {@code
 * ClientSession.onBytes} of one whole message (parse, or inflate + UTF-8 + LF), for legacy and extended cut
 * text of 1 KiB and 1 MiB. Multiply ops/s by the size for bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class CutTextBenchmark {

    @Param({"legacy", "extended"})
    public String mode;

    @Param({"1024", "1048576"})
    public int size;

    private SessionPair pair;
    private ClipboardText textA;
    private ClipboardText textB;
    private boolean flip;
    private byte[] wire;

    @Setup(Level.Trial)
    public void setUp() {
        boolean extended = mode.equals("extended");
        // A cap well above the text so that the sender provides directly instead of notifying first.
        SessionConfig config = SessionConfig.defaults()
                .withExtendedClipboard(extended)
                .withMaxPayloadBytes(4L * size + 4096);
        pair = new SessionPair(config, config, 1_000_000L);
        pair.start();
        pair.establish();
        if (pair.client().isExtendedClipboard() != extended) {
            throw new IllegalStateException("extension negotiated: " + pair.client().isExtendedClipboard());
        }
        textA = text(size, 'a');
        textB = text(size, 'b');
        // Two texts in turn, in case a session declines to re-send the value it sent last.
        SessionOutput out = pair.server().sendText(textA, pair.now());
        if (out.toWrite().length < Math.min(size, 512) / 8) {
            throw new IllegalStateException(
                    "sendText wrote " + out.toWrite().length + " bytes: a notify, not the text; raise the caps");
        }
        wire = out.toWrite();
        // Twice: the benchmark must measure a delivery every time, not a session ignoring a repeat.
        for (int i = 0; i < 2; i++) {
            SessionOutput decoded = pair.client().onBytes(wire, 0, wire.length, pair.now());
            if (decoded.events().stream().noneMatch(SessionEvent.TextReceived.class::isInstance)) {
                throw new IllegalStateException("decoding the encoded text gave " + decoded.events());
            }
        }
    }

    /** Mostly ASCII with line ends, Latin-1, CJK and an emoji: what a clipboard holds. */
    static ClipboardText text(int utf8Bytes, char variant) {
        String unit = "The quick brown fox " + variant + " jumps, héllo wörld, 日本語, 😀 €\n";
        StringBuilder sb = new StringBuilder(utf8Bytes);
        int bytes = 0;
        int unitBytes = unit.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        while (bytes + unitBytes <= utf8Bytes) {
            sb.append(unit);
            bytes += unitBytes;
        }
        sb.append("x".repeat(utf8Bytes - bytes));
        return new ClipboardText(sb.toString());
    }

    @Benchmark
    public void encode(Blackhole bh) {
        flip = !flip;
        bh.consume(pair.server().sendText(flip ? textB : textA, pair.now()).toWrite());
    }

    @Benchmark
    public void decode(Blackhole bh) {
        bh.consume(pair.client().onBytes(wire, 0, wire.length, pair.now()).events());
    }
}
