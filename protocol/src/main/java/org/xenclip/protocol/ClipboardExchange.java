package org.xenclip.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The clipboard part of an established session, the same for both roles: legacy cut text until the Extended
 * Clipboard is on, then caps, notify, request, peek and provide (protocol.md sections 3-4). Converts text
 * once at the wire edge (profile rule 5): LF inside, LF on the legacy wire, CRLF plus NUL on the extended
 * wire.
 */
final class ClipboardExchange {

    private final SessionConfig config;
    private boolean acceptIncoming = true;

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
    /**
     * The text delivered since the peer's last notify: a peer that announces and provides at once also gets
     * our request and provides a second time; that copy is not reported again.
     */
    private ClipboardText deliveredSinceNotify;

    ClipboardExchange(SessionConfig config) {
        this.config = config;
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
        localLossy = false;
        deliveredSinceNotify = null;
    }

    /** What we advertise: text only, every action, the payload cap as the unsolicited limit. */
    Message.ExtCaps ourCaps() {
        return new Message.ExtCaps(Rfb.FORMAT_TEXT, Rfb.ALL_ACTIONS, List.of(config.maxPayloadBytes()));
    }

    void offer(ClipboardText text, boolean established, Output out) {
        long size = text.utf8Size();
        if (size > config.maxPayloadBytes()) {
            throw new IllegalArgumentException(
                    "clipboard text size " + size + " exceeds limit " + config.maxPayloadBytes());
        }
        if (established) {
            pending = null;
            send(text, out);
        } else {
            pending = text; // only the latest matters
        }
    }

    void onEstablished(Output out) {
        if (pending != null) {
            ClipboardText text = pending;
            pending = null;
            send(text, out);
        }
    }

    /** The extension is on from now; text that went out lossy as Latin-1 goes again, whole. */
    void enableExtended(Output out) {
        extended = true;
        if (local != null && localLossy) {
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
            String wire = toExtendedWire(text);
            long encoded = wire.getBytes(StandardCharsets.UTF_8).length + 1L;
            // Always announce first: TigerVNC's Xvnc takes the selection on a notify and ignores a provide
            // nobody announced. Text that fits the peer's unsolicited limit follows at once, saving the
            // request round trip; larger text waits for the request.
            out.send(new Message.ExtNotify(Rfb.FORMAT_TEXT));
            if (encoded <= peerMaxUnsolicited) {
                out.send(new Message.ExtProvide(Rfb.FORMAT_TEXT, wire));
            }
        } else {
            StringBuilder latin1 = new StringBuilder(text.text().length());
            localLossy = toLegacyWire(text.text(), latin1);
            out.send(new Message.CutText(latin1.toString()));
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
        }
    }

    void onPeek(Output out) {
        out.send(new Message.ExtNotify(local == null ? 0 : Rfb.FORMAT_TEXT));
    }

    void onProvide(Message.ExtProvide m, Output out) {
        if (acceptIncoming && m.hasText()) {
            ClipboardText text = ClipboardText.fromCrlfWire(m.wireText());
            if (!text.equals(deliveredSinceNotify)) {
                deliveredSinceNotify = text;
                out.event(new SessionEvent.TextReceived(text));
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
