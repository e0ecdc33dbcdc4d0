package org.xenclip.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The result of feeding a session: bytes to write to the peer (possibly empty) and events, in order.
 * The owner writes {@code toWrite} before feeding the session again.
 */
// The bytes are handed over to be written, never compared or kept: a defensive copy would cost a megabyte per
// large text.
@SuppressWarnings("ArrayRecordComponent")
public record SessionOutput(byte[] toWrite, List<SessionEvent> events) {

    public static final SessionOutput NOTHING = new SessionOutput(new byte[0], List.of());

    public SessionOutput {
        Objects.requireNonNull(toWrite, "toWrite");
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return toWrite.length == 0 && events.isEmpty();
    }
}
