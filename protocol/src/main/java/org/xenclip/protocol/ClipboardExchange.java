package org.xenclip.protocol;

import java.util.List;

/**
 * The clipboard part of an established session, the same for both roles: legacy cut text until the Extended
 * Clipboard is on, then caps, notify, request, peek and provide (protocol.md sections 3-4). Converts text
 * once at the wire edge (profile rule 5): LF inside, LF on the legacy wire, CRLF plus NUL on the extended
 * wire.
 */
final class ClipboardExchange {

    /**
     * How long an established session holds outgoing text while the Extended Clipboard may still come on.
     * Section 4: the client asks right after ServerInit and "a server that gets no SetEncodings uses legacy
     * cut text"; "until the client has seen caps, it uses legacy". Sending legacy text at once would put a
     * lossy Latin-1 copy ('?' for the rest) on the peer's clipboard just before the whole text follows, so
     * text waits for the answer, or this long for a peer that never gives one (a legacy peer).
     */
    static final long NEGOTIATION_GRACE_MILLIS = 1000;

    private final SessionConfig config;
    /** The largest unsolicited text we advertise in our caps. */
    private final long ourMaxUnsolicited;
    /**
     * Whether our text waits for the peer's request even when it would fit the peer's unsolicited limit. The
     * server does this so that the request tells it the peer has seen its text: a text the peer announces
     * before that crossed ours on the wire (see {@link SessionEvent.PeerTookText}).
     */
    private final boolean provideOnlyOnRequest;

    private boolean acceptIncoming = true;

    /** Outgoing text waits in {@link #pending} until the extension negotiation ends or {@link #holdUntil}. */
    private boolean holding;

    private long holdUntil;

    /** Text handed to sendText before the session was established: sent once it is. */
    private ClipboardText pending;
    /** The text last offered to the peer: what a request or a peek is answered from. */
    private ClipboardText local;
    /** Whether {@link #local} went out as legacy text with characters replaced by '?'. */
    private boolean localLossy;

    private boolean extended;
    /** The peer's advertised largest unsolicited text (its caps); 0 until seen, so notify first. */
    private long peerMaxUnsolicited;

    private boolean heartbeatOutstanding;
    /** We announced our text and the peer has not asked for it yet. */
    private boolean awaitingRequest;
    /** We asked for the peer's announced text and it has not arrived yet. */
    private boolean incomingPending;
    /** The text on its way to us and ours were on the wire at the same time (see TextReceived#crossed). */
    private boolean incomingCrossed;
    /**
     * The text delivered since the peer's last notify: a peer that announces and provides at once also gets
     * our request and provides a second time; that copy is not reported again.
     */
    private ClipboardText deliveredSinceNotify;

    /**
     * @param ourMaxUnsolicited the largest text the peer may provide without our request; 0 makes the peer
     *     always announce with notify and provide only when we request
     */
    ClipboardExchange(SessionConfig config, long ourMaxUnsolicited, boolean provideOnlyOnRequest) {
        this.config = config;
        this.ourMaxUnsolicited = ourMaxUnsolicited;
        this.provideOnlyOnRequest = provideOnlyOnRequest;
    }

    void setAcceptIncoming(boolean accept) {
        acceptIncoming = accept;
    }

    boolean extended() {
        return extended;
    }

    /** A new handshake begins: the extension and everything learnt about the peer are forgotten. */
    void reset() {
        extended = false;
        peerMaxUnsolicited = 0;
        heartbeatOutstanding = false;
        awaitingRequest = false;
        incomingPending = false;
        incomingCrossed = false;
        holding = false;
        localLossy = false;
        deliveredSinceNotify = null;
    }

    /** What we advertise: text only, every action, our unsolicited limit. */
    Message.ExtCaps ourCaps() {
        return new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(ourMaxUnsolicited));
    }

    void offer(ClipboardText text, boolean established, Output out) {
        long size = text.utf8Size();
        if (size > config.maxPayloadBytes()) {
            throw new IllegalArgumentException(
                    "clipboard text size " + size + " exceeds limit " + config.maxPayloadBytes());
        }
        if (established && !holding) {
            pending = null;
            send(text, out);
        } else {
            pending = text; // only the latest matters
        }
    }

    /**
     * The handshake completed.
     *
     * @param awaitExtension whether the extension may still come on: then text waits until {@link
     *     #endHold}, {@link #enableExtended} or {@link #NEGOTIATION_GRACE_MILLIS} from now
     */
    void onEstablished(boolean awaitExtension, long now, Output out) {
        holding = true;
        holdUntil = now + NEGOTIATION_GRACE_MILLIS;
        if (!awaitExtension) {
            endHold(out);
        }
    }

    /** The negotiation is over (the extension stays off, or is on already): held text goes out. */
    void endHold(Output out) {
        if (!holding) {
            return;
        }
        holding = false;
        if (pending != null) {
            ClipboardText text = pending;
            pending = null;
            send(text, out);
        }
    }

    /** When the hold ends by itself, or {@link Long#MAX_VALUE} when nothing is held back. */
    long holdDeadline() {
        return holding ? holdUntil : Long.MAX_VALUE;
    }

    /** Ends the hold once its grace period has passed; the peer is taken to be legacy. */
    void runTimer(long now, Output out) {
        if (holding && now >= holdUntil) {
            endHold(out);
        }
    }

    /**
     * The extension is on from now: held text goes out extended; text that went out lossy as Latin-1 (a
     * late extension, after the grace period) goes again, whole.
     */
    void enableExtended(Output out) {
        extended = true;
        if (holding) {
            endHold(out);
        } else if (local != null && localLossy) {
            send(local, out);
        }
    }

    void onPeerCaps(Message.ExtCaps caps) {
        peerMaxUnsolicited = caps.maxUnsolicitedText();
    }

    /** Server side, profile rule 7. */
    boolean sendHeartbeat(Output out) {
        if (!extended) {
            return false;
        }
        heartbeatOutstanding = true;
        out.send(new Message.ExtPeek(0));
        return true;
    }

    private void send(ClipboardText text, Output out) {
        local = text;
        if (extended) {
            localLossy = false;
            long encoded = text.crlfWireUtf8Size() + 1L; // the NUL
            // Always announce first: TigerVNC's Xvnc takes the selection on a notify and ignores a provide
            // nobody announced. Text that fits the peer's unsolicited limit follows at once, saving the
            // request round trip; larger text waits for the request.
            out.send(new Message.ExtNotify(Rfb.FORMAT_TEXT));
            incomingCrossed |= incomingPending;
            if (!provideOnlyOnRequest && encoded <= peerMaxUnsolicited) {
                out.send(new Message.ExtProvide(Rfb.FORMAT_TEXT, toExtendedWire(text)));
                out.event(new SessionEvent.PeerTookText());
            } else {
                awaitingRequest = true;
            }
        } else {
            StringBuilder latin1 = new StringBuilder(text.text().length());
            localLossy = toLegacyWire(text.text(), latin1);
            out.send(new Message.CutText(latin1.toString()));
            out.event(new SessionEvent.PeerTookText()); // legacy has no request: handed over is all we know
        }
    }

    void onCutText(Message.CutText m, Output out) {
        if (acceptIncoming) {
            out.event(new SessionEvent.TextReceived(ClipboardText.of(m.latin1())));
        }
    }

    void onNotify(Message.ExtNotify m, boolean reportAlive, Output out) {
        if (reportAlive) {
            out.event(new SessionEvent.PeerAlive());
        }
        deliveredSinceNotify = null;
        if (heartbeatOutstanding) {
            // The answer to our peek (rule 7): liveness only. A real change the peer notified at the same
            // time is not lost: the peer answers the peek with a notify of its own, so one of the two
            // notifies still arrives after this one.
            heartbeatOutstanding = false;
            return;
        }
        if (!acceptIncoming) {
            return;
        }
        if ((m.formats() & Rfb.FORMAT_TEXT) != 0) {
            out.send(new Message.ExtRequest(Rfb.FORMAT_TEXT));
            incomingPending = true;
            incomingCrossed = awaitingRequest;
        } else {
            out.event(new SessionEvent.PeerClipboardEmpty());
        }
    }

    void onRequest(Message.ExtRequest m, Output out) {
        if ((m.formats() & Rfb.FORMAT_TEXT) == 0) {
            return;
        }
        if (local == null) {
            out.send(new Message.ExtNotify(0));
        } else {
            out.send(new Message.ExtProvide(Rfb.FORMAT_TEXT, toExtendedWire(local)));
            awaitingRequest = false;
            out.event(new SessionEvent.PeerTookText());
        }
    }

    void onPeek(Output out) {
        out.send(new Message.ExtNotify(local == null ? 0 : Rfb.FORMAT_TEXT));
    }

    void onProvide(Message.ExtProvide m, Output out) {
        if (acceptIncoming && m.hasText()) {
            ClipboardText text = ClipboardText.fromCrlfWire(m.wireText());
            boolean crossed = incomingCrossed;
            incomingPending = false;
            incomingCrossed = false;
            if (!text.equals(deliveredSinceNotify)) {
                deliveredSinceNotify = text;
                out.event(new SessionEvent.TextReceived(text, crossed));
            }
        }
    }

    static String toExtendedWire(ClipboardText text) {
        return text.toCrlfWire();
    }

    /**
     * Section 3: Latin-1 only; each code point outside it becomes '?', as TigerVNC and noVNC do.
     *
     * @return whether anything was replaced
     */
    static boolean toLegacyWire(String text, StringBuilder out) {
        boolean lossy = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp <= 0xFF) {
                out.append((char) cp);
            } else {
                out.append('?');
                lossy = true;
            }
        }
        return lossy;
    }
}
