package org.xenclip.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Collects what one call into a session produces: bytes for the peer and events for the owner, in order. */
final class Output {

    private final boolean fromServer;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<SessionEvent> events = new ArrayList<>();
    private long noise;

    Output(boolean fromServer) {
        this.fromServer = fromServer;
    }

    void send(Message m) {
        bytes.writeBytes(MessageEncoder.encode(m, fromServer));
    }

    void event(SessionEvent e) {
        flushNoise();
        events.add(e);
    }

    /** Noise is summed so that a burst split over many reads is one report, placed before what follows it. */
    void noise(long count) {
        noise += count;
    }

    private void flushNoise() {
        if (noise > 0) {
            events.add(new SessionEvent.NoiseDiscarded(noise));
            noise = 0;
        }
    }

    SessionOutput build() {
        flushNoise();
        return bytes.size() == 0 && events.isEmpty()
                ? SessionOutput.NOTHING
                : new SessionOutput(bytes.toByteArray(), events);
    }
}
