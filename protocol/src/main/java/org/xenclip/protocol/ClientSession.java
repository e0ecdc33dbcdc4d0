package org.xenclip.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The guest agent's end of the channel: the RFB client. Scans for a server version, speaks first after
 * {@link SessionConfig#speakFirstAfter()} of silence (profile rule 2), and asks for the Extended
 * Clipboard right after ServerInit.
 */
public final class ClientSession implements Session {

    /** The client's handshake position; {@link #mayMoveTo} lists every legal transition. */
    enum State {
        NEW,
        /** Discarding bytes until a server version (rule 1); speaks first when the timer runs out (rule 2). */
        SCANNING,
        AWAIT_SECURITY_TYPES,
        AWAIT_SECURITY_RESULT,
        AWAIT_SERVER_INIT,
        ESTABLISHED;

        boolean mayMoveTo(State next) {
            return switch (this) {
                case NEW -> next == SCANNING;
                case SCANNING -> next == SCANNING || next == AWAIT_SECURITY_TYPES;
                case AWAIT_SECURITY_TYPES -> next == AWAIT_SECURITY_RESULT
                        || next == AWAIT_SECURITY_TYPES
                        || next == SCANNING;
                case AWAIT_SECURITY_RESULT -> next == AWAIT_SERVER_INIT
                        || next == AWAIT_SECURITY_TYPES
                        || next == SCANNING;
                case AWAIT_SERVER_INIT -> next == ESTABLISHED || next == AWAIT_SECURITY_TYPES || next == SCANNING;
                case ESTABLISHED -> next == AWAIT_SECURITY_TYPES || next == SCANNING;
            };
        }
    }

    /** Bytes handed to the decoder at a time, so its buffer stays bounded however much the owner reads. */
    private static final int FEED_CHUNK = 8192;
    /** Rule 2's back-off: repeated unprompted versions wait at most this many speak-first delays. */
    private static final int MAX_BACKOFF_FACTOR = 8;

    private final SessionConfig config;
    private final MessageDecoder decoder;
    private final ClipboardExchange exchange;
    private State state = State.NEW;

    /** When the current state's timer fires (speak first, repeat, handshake restart). */
    private long deadline = Long.MAX_VALUE;
    /** Our unprompted version has not been answered yet: a server version now is the answer (rule 2). */
    private boolean spokeFirstUnanswered;
    /** Nothing at all has arrived since we spoke first: keep repeating with back-off. */
    private boolean silentSinceSpeaking;

    private long repeatDelay;
    private long lastByteAt;

    public ClientSession(SessionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = new MessageDecoder(
                MessageDecoder.Direction.SERVER_TO_CLIENT, config.maxPayloadBytes(), config.maxStringBytes());
        this.exchange = new ClipboardExchange(config, config.maxPayloadBytes(), false);
    }

    public SessionConfig config() {
        return config;
    }

    @Override
    public SessionOutput start(long nowMillis) {
        if (state != State.NEW) {
            throw new IllegalStateException("session already started");
        }
        moveTo(State.SCANNING);
        scanAgain(nowMillis);
        return SessionOutput.NOTHING;
    }

    @Override
    public SessionOutput onBytes(byte[] data, int offset, int length, long nowMillis) {
        Objects.checkFromIndexSize(offset, length, data.length);
        requireStarted();
        Output out = new Output(false);
        runTimers(nowMillis, out);
        if (length > 0) {
            lastByteAt = nowMillis;
            if (silentSinceSpeaking) {
                silentSinceSpeaking = false;
                deadline = nowMillis + config.handshakeTimeout().toMillis();
            }
        }
        for (int pos = 0; pos < length; pos += FEED_CHUNK) {
            decoder.feed(data, offset + pos, Math.min(FEED_CHUNK, length - pos));
            drain(nowMillis, out);
        }
        return out.build();
    }

    @Override
    public SessionOutput onTick(long nowMillis) {
        requireStarted();
        Output out = new Output(false);
        runTimers(nowMillis, out);
        return out.build();
    }

    @Override
    public SessionOutput sendText(ClipboardText text, long nowMillis) {
        Objects.requireNonNull(text, "text");
        Output out = new Output(false);
        exchange.offer(text, state == State.ESTABLISHED, out);
        return out.build();
    }

    @Override
    public void setAcceptIncoming(boolean accept) {
        exchange.setAcceptIncoming(accept);
    }

    @Override
    public long nextDeadlineMillis() {
        long stall = decoder.inMessage() ? lastByteAt + config.stallTimeout().toMillis() : Long.MAX_VALUE;
        return Math.min(Math.min(deadline, stall), exchange.holdDeadline());
    }

    @Override
    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    @Override
    public boolean isExtendedClipboard() {
        return exchange.extended();
    }

    State state() {
        return state;
    }

    private void requireStarted() {
        if (state == State.NEW) {
            throw new IllegalStateException("session not started: call start() first");
        }
    }

    private void moveTo(State next) {
        if (!state.mayMoveTo(next)) {
            throw new IllegalStateException("client session cannot move from " + state + " to " + next);
        }
        state = next;
    }

    private void runTimers(long now, Output out) {
        if (decoder.inMessage() && now - lastByteAt >= config.stallTimeout().toMillis()) {
            // Rule 8: a message that stopped arriving is never completed by whatever comes next.
            out.event(new SessionEvent.StalledMessageDropped(decoder.bytesOfUnfinishedMessage()));
            decoder.discardAndScan();
            exchange.reset();
            moveTo(State.SCANNING);
            scanAgain(now);
        }
        exchange.runTimer(now, out);
        if (now < deadline) {
            return;
        }
        if (state == State.SCANNING) {
            speakFirst(now, out);
        } else if (state == State.AWAIT_SECURITY_TYPES && spokeFirstUnanswered && silentSinceSpeaking) {
            out.send(Message.Version.V3_8); // rule 2: repeat with back-off while nothing arrives
            deadline = now + repeatDelay;
            repeatDelay = Math.min(
                    repeatDelay * 2,
                    MAX_BACKOFF_FACTOR * config.speakFirstAfter().toMillis());
        } else if (state != State.ESTABLISHED) {
            // Rule 3: a handshake without progress starts over; for the client that is rule 2 again.
            decoder.expect(MessageDecoder.Step.SCAN_VERSION);
            moveTo(State.SCANNING);
            scanAgain(now);
        } else {
            deadline = Long.MAX_VALUE;
        }
    }

    private void scanAgain(long now) {
        spokeFirstUnanswered = false;
        silentSinceSpeaking = false;
        deadline = now + config.speakFirstAfter().toMillis();
    }

    private void speakFirst(long now, Output out) {
        out.send(Message.Version.V3_8);
        moveTo(State.AWAIT_SECURITY_TYPES);
        // After speaking first the server may answer with its version or go straight to the security types.
        decoder.expect(MessageDecoder.Step.SECURITY_TYPES);
        spokeFirstUnanswered = true;
        silentSinceSpeaking = true;
        repeatDelay = 2 * config.speakFirstAfter().toMillis();
        deadline = now + repeatDelay;
        repeatDelay = Math.min(
                repeatDelay * 2, MAX_BACKOFF_FACTOR * config.speakFirstAfter().toMillis());
    }

    private void progress(long now) {
        deadline = now + config.handshakeTimeout().toMillis();
    }

    private void drain(long now, Output out) {
        while (true) {
            Message m;
            try {
                m = decoder.next();
            } catch (ProtocolException e) {
                onProtocolError(e, now, out);
                continue;
            }
            if (m == null) {
                return;
            }
            handle(m, now, out);
        }
    }

    private void onProtocolError(ProtocolException e, long now, Output out) {
        out.event(new SessionEvent.ProtocolError(e.getMessage()));
        if (!e.framingIntact()) {
            exchange.reset();
            moveTo(State.SCANNING); // the decoder scans already
            scanAgain(now);
        }
    }

    private void handle(Message m, long now, Output out) {
        if (m instanceof Message.Noise n) {
            out.noise(n.count());
        } else if (m instanceof Message.Version) {
            onServerVersion(now, out);
        } else if (m instanceof Message.SecurityTypes) {
            if (state == State.AWAIT_SECURITY_TYPES) {
                spokeFirstUnanswered = false;
                out.send(new Message.SecurityChoice(Rfb.SECURITY_NONE));
                moveTo(State.AWAIT_SECURITY_RESULT);
                progress(now);
            }
            // else: a duplicate list answering a repeated version of ours; skipped
        } else if (m instanceof Message.SecurityResultOk) {
            out.send(new Message.ClientInit(true));
            moveTo(State.AWAIT_SERVER_INIT);
            progress(now);
        } else if (m instanceof Message.ServerInit) {
            onServerInit(now, out);
        } else if (m instanceof Message.CutText c) {
            exchange.onCutText(c, out);
        } else if (m instanceof Message.ExtCaps caps) {
            onCaps(caps, out);
        } else if (m instanceof Message.ExtNotify n) {
            exchange.onNotify(n, false, out);
        } else if (m instanceof Message.ExtRequest r) {
            exchange.onRequest(r, out);
        } else if (m instanceof Message.ExtPeek) {
            exchange.onPeek(out);
        } else if (m instanceof Message.ExtProvide p) {
            exchange.onProvide(p, out);
        } else if (m instanceof Message.Oversize o) {
            out.event(new SessionEvent.OversizeDropped(o.size(), o.limit()));
        } else if (!(m instanceof Message.Skipped)) {
            throw new AssertionError("client-to-server message decoded by the client: " + m);
        }
    }

    private void onServerVersion(long now, Output out) {
        if (state == State.AWAIT_SECURITY_TYPES && spokeFirstUnanswered) {
            // Rule 2: our unprompted version already answered this one.
            spokeFirstUnanswered = false;
            progress(now);
            return;
        }
        if (state == State.ESTABLISHED) {
            out.event(new SessionEvent.PeerRestarted());
        }
        exchange.reset();
        out.send(Message.Version.V3_8); // rule 3: answer and wait for the security types
        moveTo(State.AWAIT_SECURITY_TYPES);
        spokeFirstUnanswered = false;
        silentSinceSpeaking = false;
        progress(now);
    }

    private void onServerInit(long now, Output out) {
        moveTo(State.ESTABLISHED);
        deadline = Long.MAX_VALUE;
        if (config.extendedClipboard()) {
            // Section 4: ask right after ServerInit; the server's caps may follow at once, so read negative
            // lengths as extended messages from now on.
            out.send(new Message.SetEncodings(List.of(Rfb.ENCODING_EXTENDED_CLIPBOARD)));
            decoder.setExtendedLengths(true);
        }
        out.event(new SessionEvent.Established(false));
        // Text waits for the server's caps (or the grace period, for a server without the extension).
        exchange.onEstablished(config.extendedClipboard(), now, out);
    }

    private void onCaps(Message.ExtCaps caps, Output out) {
        exchange.onPeerCaps(caps);
        if (!exchange.extended() && (caps.formats() & Rfb.FORMAT_TEXT) != 0) {
            out.send(exchange.ourCaps()); // TigerVNC's viewer answers caps with its own, so do we
            out.event(new SessionEvent.Established(true));
            exchange.enableExtended(out);
        }
        exchange.endHold(out); // caps without text: the extension stays off, held text goes legacy
    }
}
