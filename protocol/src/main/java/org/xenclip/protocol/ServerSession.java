package org.xenclip.protocol;

import java.util.Objects;

/**
 * dom0's end of the channel: the RFB server. Greets with its version one stall timeout after {@link #start}
 * (a client that speaks first is answered at once), answers a client version at any point with the
 * security types (profile rule 3) and offers the Extended Clipboard when the client asks for it. {@link #sendHeartbeat} sends an extended peek (rule 7).
 */
public final class ServerSession implements Session {

    /** The server's handshake position; {@link #mayMoveTo} lists every legal transition. */
    enum State {
        NEW,
        /** Version sent; discarding bytes until the client's version (rule 1). */
        AWAIT_CLIENT_VERSION,
        AWAIT_SECURITY_CHOICE,
        AWAIT_CLIENT_INIT,
        ESTABLISHED;

        boolean mayMoveTo(State next) {
            return switch (this) {
                case NEW -> next == AWAIT_CLIENT_VERSION;
                case AWAIT_CLIENT_VERSION -> next == AWAIT_CLIENT_VERSION || next == AWAIT_SECURITY_CHOICE;
                case AWAIT_SECURITY_CHOICE -> next == AWAIT_CLIENT_INIT
                        || next == AWAIT_SECURITY_CHOICE
                        || next == AWAIT_CLIENT_VERSION;
                case AWAIT_CLIENT_INIT -> next == ESTABLISHED
                        || next == AWAIT_SECURITY_CHOICE
                        || next == AWAIT_CLIENT_VERSION;
                case ESTABLISHED -> next == AWAIT_SECURITY_CHOICE || next == AWAIT_CLIENT_VERSION;
            };
        }
    }

    /** Bytes handed to the decoder at a time, so its buffer stays bounded however much the owner reads. */
    private static final int FEED_CHUNK = 8192;
    /** Repeated versions to an absent client back off up to this many handshake timeouts. */
    private static final int MAX_BACKOFF_FACTOR = 8;

    private final SessionConfig config;
    private final MessageDecoder decoder;
    private final ClipboardExchange exchange;
    private State state = State.NEW;

    private long deadline = Long.MAX_VALUE;
    private long versionRepeatDelay;
    private long lastByteAt;

    public ServerSession(SessionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = new MessageDecoder(
                MessageDecoder.Direction.CLIENT_TO_SERVER, config.maxPayloadBytes(), config.maxStringBytes());
        // Our caps advertise 0 as the largest unsolicited text: the client always announces with notify and
        // provides only when we request, which we do only while accepting. One round trip more per
        // guest-to-dom0 copy buys the rule that nothing of a closed direction crosses the wire.
        this.exchange = new ClipboardExchange(config, 0, true);
    }

    public SessionConfig config() {
        return config;
    }

    @Override
    public SessionOutput start(long nowMillis) {
        if (state != State.NEW) {
            throw new IllegalStateException("session already started");
        }
        exchange.reset();
        decoder.expect(MessageDecoder.Step.SCAN_VERSION);
        moveTo(State.AWAIT_CLIENT_VERSION);
        // The first greeting waits one stall timeout. If an earlier dom0 app died in the middle of a message,
        // the guest is still inside it; silence this long makes the guest drop it (rule 8) before our
        // greeting arrives, so the greeting can never complete that message as clipboard text. A guest that
        // waits for us has spoken first already (rule 2) and is answered at once.
        versionRepeatDelay = 0;
        deadline = nowMillis + config.stallTimeout().toMillis();
        return SessionOutput.NOTHING;
    }

    @Override
    public SessionOutput onBytes(byte[] data, int offset, int length, long nowMillis) {
        Objects.checkFromIndexSize(offset, length, data.length);
        requireStarted();
        Output out = new Output(true);
        runTimers(nowMillis, out);
        if (length > 0) {
            lastByteAt = nowMillis;
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
        Output out = new Output(true);
        runTimers(nowMillis, out);
        return out.build();
    }

    @Override
    public SessionOutput sendText(ClipboardText text, long nowMillis) {
        Objects.requireNonNull(text, "text");
        Output out = new Output(true);
        exchange.offer(text, state == State.ESTABLISHED, out);
        return out.build();
    }

    /**
     * Sends an extended peek as a liveness probe; a live client answers with notify, reported as
     * {@link SessionEvent.PeerAlive} (rule 7). Sends nothing unless the session is established with the
     * Extended Clipboard on: legacy RFB has no message a client must answer.
     */
    public SessionOutput sendHeartbeat(long nowMillis) {
        Output out = new Output(true);
        if (state == State.ESTABLISHED) {
            exchange.sendHeartbeat(out);
        }
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
            throw new IllegalStateException("server session cannot move from " + state + " to " + next);
        }
        state = next;
    }

    /** Sends our version and scans for the client's (section 2, rule 1). */
    private void greet(long now, Output out) {
        out.send(Message.Version.V3_8);
        exchange.reset();
        decoder.expect(MessageDecoder.Step.SCAN_VERSION);
        moveTo(State.AWAIT_CLIENT_VERSION);
        versionRepeatDelay = config.handshakeTimeout().toMillis();
        deadline = now + versionRepeatDelay;
    }

    private void runTimers(long now, Output out) {
        if (decoder.inMessage() && now - lastByteAt >= config.stallTimeout().toMillis()) {
            // Rule 8: drop the stalled message and scan. No version goes out yet: the peer most likely
            // restarted and is about to speak first; the handshake timer greets again if it does not.
            out.event(new SessionEvent.StalledMessageDropped(decoder.bytesOfUnfinishedMessage()));
            decoder.discardAndScan();
            exchange.reset();
            moveTo(State.AWAIT_CLIENT_VERSION);
            versionRepeatDelay = config.handshakeTimeout().toMillis();
            deadline = now + versionRepeatDelay;
        }
        exchange.runTimer(now, out);
        if (now < deadline) {
            return;
        }
        if (state == State.AWAIT_CLIENT_VERSION) {
            // Rule 3: greet again, backing off while no client answers (the writes would only fill the ring).
            out.send(Message.Version.V3_8);
            versionRepeatDelay = versionRepeatDelay == 0
                    ? config.handshakeTimeout().toMillis()
                    : Math.min(
                            versionRepeatDelay * 2,
                            MAX_BACKOFF_FACTOR * config.handshakeTimeout().toMillis());
            deadline = now + versionRepeatDelay;
        } else if (state != State.ESTABLISHED) {
            greet(now, out); // rule 3: a handshake without progress starts over
        } else {
            deadline = Long.MAX_VALUE;
        }
    }

    private void drain(long now, Output out) {
        while (true) {
            Message m;
            try {
                m = decoder.next();
            } catch (ProtocolException e) {
                out.event(new SessionEvent.ProtocolError(e.getMessage()));
                if (!e.framingIntact()) {
                    greet(now, out); // the client answers a version from any state (rule 3)
                }
                continue;
            }
            if (m == null) {
                return;
            }
            handle(m, now, out);
            if (state == State.ESTABLISHED && !(m instanceof Message.ClientInit) && !(m instanceof Message.Noise)) {
                // The client's first message after ClientInit is processed: had it asked for the extension,
                // the extension would be on now, so held text goes out as whatever the session speaks.
                exchange.endHold(out);
            }
        }
    }

    private void handle(Message m, long now, Output out) {
        if (m instanceof Message.Noise n) {
            out.noise(n.count());
        } else if (m instanceof Message.Version) {
            if (state == State.ESTABLISHED) {
                out.event(new SessionEvent.PeerRestarted());
            }
            // Rule 3: a client version at any point is answered with the security types.
            exchange.reset();
            out.send(Message.SecurityTypes.NONE_ONLY);
            moveTo(State.AWAIT_SECURITY_CHOICE);
            deadline = now + config.handshakeTimeout().toMillis();
        } else if (m instanceof Message.SecurityChoice) {
            out.send(new Message.SecurityResultOk());
            moveTo(State.AWAIT_CLIENT_INIT);
            deadline = now + config.handshakeTimeout().toMillis();
        } else if (m instanceof Message.ClientInit) {
            out.send(new Message.ServerInit(0, 0, Message.PixelFormat.DEFAULT, config.desktopName()));
            moveTo(State.ESTABLISHED);
            deadline = Long.MAX_VALUE;
            out.event(new SessionEvent.Established(false));
            // Text waits for the client's first message: a SetEncodings asking for the extension comes next.
            exchange.onEstablished(config.extendedClipboard(), now, out);
        } else if (m instanceof Message.SetEncodings e) {
            if (e.asksForExtendedClipboard() && config.extendedClipboard()) {
                decoder.setExtendedLengths(true);
                if (!exchange.extended()) {
                    out.send(exchange.ourCaps());
                    out.event(new SessionEvent.Established(true));
                    exchange.enableExtended(out);
                }
            }
        } else if (m instanceof Message.CutText c) {
            exchange.onCutText(c, out);
        } else if (m instanceof Message.ExtCaps caps) {
            exchange.onPeerCaps(caps);
        } else if (m instanceof Message.ExtNotify n) {
            exchange.onNotify(n, true, out);
        } else if (m instanceof Message.ExtRequest r) {
            exchange.onRequest(r, out);
        } else if (m instanceof Message.ExtPeek) {
            exchange.onPeek(out);
        } else if (m instanceof Message.ExtProvide p) {
            exchange.onProvide(p, out);
        } else if (m instanceof Message.Oversize o) {
            out.event(new SessionEvent.OversizeDropped(o.size(), o.limit()));
        } else if (!(m instanceof Message.Skipped)) {
            throw new AssertionError("server-to-client message decoded by the server: " + m);
        }
    }
}
