package org.xenclip.guest.sync;

import java.util.Objects;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.protocol.ClipboardText;

/**
 * The guest agent's sync rules between its desktop clipboard and dom0. Pure logic: it is told what happened (a
 * local change, the connection up or down, text received) and answers what to do; the caller does the I/O.
 * dom0's side of the same rules, for many VMs at once and with dom0 as the arbiter, is the host app's
 * {@code ClipboardHub} (docs/desktop-clipboard.md, "The sync rules").
 *
 * <h2>The rules</h2>
 *
 * <ol>
 *   <li><b>Echo suppression</b> (protocol profile rule 6). The last value exchanged with dom0 is remembered with
 *       its direction. A local change equal to the text just received is never sent back ({@link
 *       HoldReason#ECHO}): it is our own write of that text. A local change equal to the text we last sent is
 *       not sent again ({@link HoldReason#UNCHANGED}).
 *   <li><b>Size cap</b> in UTF-8 bytes, both ways. Oversize text is held or ignored whole, never truncated; the
 *       decision carries its size for the log ({@link HoldReason#OVERSIZE}, {@link IgnoreReason#OVERSIZE}).
 *   <li><b>Secrets.</b> Text a password manager marked secret ({@code x-kde-passwordManagerHint}) is not sent
 *       unless {@link Config#sendSecrets()} ({@link HoldReason#SECRET}).
 *   <li><b>Reconnect.</b> While dom0 is away, local changes are remembered, not sent. When the connection is
 *       (re)established the agent sends its current text unless dom0 is known to hold it: a text received from
 *       dom0 is not offered back, a text sent before the connection broke is offered again (it may have died in
 *       the channel: a new peer throws away the bytes it finds before its handshake). Before any exchange, a
 *       change means a change since this object was created; the agent, which cannot know what dom0 holds at
 *       its start, reports its start content as a change.
 *   <li><b>dom0 arbitrates.</b> If both sides changed while apart, both offer on reconnect and dom0 keeps its
 *       own text; the agent applies dom0's text as it applies any received text, and both end with dom0's. One
 *       exception, {@link Reoffer}: dom0's text crossed our offer and is the very text our clipboard held
 *       before the user's copy, so the copy is the newer; the agent keeps it and offers it again.
 * </ol>
 *
 * <p>Received text that equals what the local clipboard already holds is recorded as exchanged but not
 * written again ({@link IgnoreReason#ALREADY_LOCAL}).
 *
 * <p>Thread: not bound to one, but meant to be owned by the agent's I/O thread; methods are synchronized so a
 * stray call from elsewhere cannot corrupt it.
 */
public final class ClipboardSync {

    /**
     * Limits and switches.
     *
     * @param maxBytes the size cap in UTF-8 bytes (protocol profile rule 4: 1 MiB by default)
     * @param sendSecrets whether text marked secret by a password manager is sent
     */
    public record Config(long maxBytes, boolean sendSecrets) {

        /** Protocol profile rule 4: clipboard payload 1 MiB by default, counted in encoded bytes. */
        public static final long DEFAULT_MAX_BYTES = 1L << 20;

        public Config {
            if (maxBytes <= 0) {
                throw new IllegalArgumentException("maxBytes " + maxBytes + " must be positive");
            }
        }

        public static Config defaults() {
            return new Config(DEFAULT_MAX_BYTES, false);
        }

        public Config withMaxBytes(long value) {
            return new Config(value, sendSecrets);
        }

        public Config withSendSecrets(boolean value) {
            return new Config(maxBytes, value);
        }
    }

    /** What to do with a local change or on establish: send it, or hold it (and why). */
    public sealed interface Outgoing permits Send, Hold {}

    /** Send this text to the peer now. */
    public record Send(ClipboardText text) implements Outgoing {}

    /** Do not send; {@code utf8Size} is the held text's size, for the log. */
    public record Hold(HoldReason reason, long utf8Size) implements Outgoing {}

    public enum HoldReason {
        /** Equal to the text just received from this peer: our own write of it. */
        ECHO,
        /** Equal to the text last sent to this peer. */
        UNCHANGED,
        /** Larger than {@link Config#maxBytes()}. */
        OVERSIZE,
        /** Marked secret by a password manager and {@link Config#sendSecrets()} is off. */
        SECRET,
        /** The peer is not connected; the change is remembered for the reconnect rule. */
        DISCONNECTED,
        /** Nothing changed locally since the last exchange (on establish). */
        NO_LOCAL_CHANGE,
        /** The clipboard holds empty text; clearing is not propagated. */
        EMPTY
    }

    /** What to do with text received from the peer: write it to the local clipboard, or not (and why). */
    public sealed interface Incoming permits Apply, Ignore, Reoffer {}

    /** Write this text to the local clipboard. */
    public record Apply(ClipboardText text) implements Incoming {}

    /**
     * dom0's text crossed our offer of {@code text}, and it is the very text our clipboard held
     * before the user's copy, so the copy is the newer of the two. Keep it, and offer it again: dom0 dropped our
     * crossed offer, and takes the new one, made after we took dom0's.
     */
    public record Reoffer(ClipboardText text) implements Incoming {}

    /** Do not write; {@code utf8Size} is the received text's size, for the log. */
    public record Ignore(IgnoreReason reason, long utf8Size) implements Incoming {}

    public enum IgnoreReason {
        /** Larger than {@link Config#maxBytes()}. */
        OVERSIZE,
        /** The local clipboard already holds this text. */
        ALREADY_LOCAL,
        /** Empty text is not written over the local clipboard. */
        EMPTY
    }

    private enum Direction {
        SENT,
        RECEIVED
    }

    private final Config config;

    private boolean connected;
    /** The latest local text we were told about (null before any). */
    private ClipboardText local;

    private boolean localSecret;
    /** What the clipboard held before the user's latest change replaced it (null when unknown or since applied). */
    private ClipboardText replaced;
    /** The last text sent to or received from the peer (null before any exchange) and which way it went. */
    private ClipboardText exchanged;

    private Direction direction;
    /** Whether {@link #local} changed since the last exchange (or since creation). */
    private boolean localChanged;
    /**
     * @param initialLocal what the local clipboard holds now, the baseline that does not count as a change;
     *     null when unknown or empty
     */
    public ClipboardSync(Config config, ClipboardText initialLocal) {
        this.config = Objects.requireNonNull(config, "config");
        this.local = initialLocal;
    }

    /** With the default config and no baseline. */
    public ClipboardSync() {
        this(Config.defaults(), null);
    }

    public Config config() {
        return config;
    }

    public synchronized boolean isConnected() {
        return connected;
    }

    /** The local clipboard changed to {@code content} (as read from a backend, any line ends). */
    public Outgoing localChanged(ClipboardContent content) {
        return localChanged(ClipboardText.of(content.text()), content.secret());
    }

    /** The local clipboard changed to {@code text}; {@code secret} when a password manager marked it. */
    public synchronized Outgoing localChanged(ClipboardText text, boolean secret) {
        Objects.requireNonNull(text, "text");
        boolean same = text.equals(local);
        if (!same) {
            replaced = local;
        }
        local = text;
        localSecret = secret;
        if (text.equals(exchanged)) {
            // back to the exchanged value: nothing to tell the peer, now or on reconnect
            localChanged = false;
            return new Hold(direction == Direction.RECEIVED ? HoldReason.ECHO : HoldReason.UNCHANGED, size(text));
        }
        if (same && !localChanged) {
            // a repeated event, or the baseline the app started with: not a change by the user
            return new Hold(HoldReason.UNCHANGED, size(text));
        }
        localChanged = true;
        if (!connected) {
            return new Hold(HoldReason.DISCONNECTED, size(text));
        }
        return offer(text, secret);
    }

    /**
     * The session with the peer is (re)established. Returns what to send now under the reconnect rule: the
     * current local text if it changed since the last exchange and passes the filters.
     */
    public synchronized Outgoing established() {
        connected = true;
        if (local == null || !localChanged) {
            return new Hold(HoldReason.NO_LOCAL_CHANGE, local == null ? 0 : size(local));
        }
        return offer(local, localSecret);
    }

    /**
     * The session ended; changes from now on are remembered for the reconnect rule. A text we sent is no longer
     * known to have arrived: the connection may have broken with it in the channel's ring, or the peer may
     * have been a new process that discarded it as stale bytes before its handshake. So it counts as a change
     * again and is offered on the next establishment; the peer drops an equal text it already holds.
     */
    public synchronized void disconnected() {
        connected = false;
        if (direction == Direction.SENT) {
            exchanged = null;
            direction = null;
            localChanged = local != null;
        }
    }

    /** Text arrived from the peer, not crossing anything of ours. */
    public Incoming received(ClipboardText text) {
        return received(text, false);
    }

    /**
     * Text arrived from the peer; {@code crossed} when the session saw it and our latest offer on the wire at the
     * same time (the protocol's {@code TextReceived.crossed}).
     */
    public synchronized Incoming received(ClipboardText text, boolean crossed) {
        Objects.requireNonNull(text, "text");
        if (crossed
                && direction == Direction.SENT
                && exchanged != null
                && exchanged.equals(local)
                && text.equals(replaced)) {
            return new Reoffer(local);
        }
        long size = size(text);
        if (size > config.maxBytes()) {
            return new Ignore(IgnoreReason.OVERSIZE, size);
        }
        if (text.isEmpty()) {
            return new Ignore(IgnoreReason.EMPTY, 0);
        }
        exchanged = text;
        direction = Direction.RECEIVED;
        if (text.equals(local)) {
            localChanged = false;
            return new Ignore(IgnoreReason.ALREADY_LOCAL, size);
        }
        // the caller writes it; our own write then reads back as this value and is held as ECHO
        local = text;
        replaced = null;
        localSecret = false;
        localChanged = false;
        return new Apply(text);
    }

    private Outgoing offer(ClipboardText text, boolean secret) {
        long size = size(text);
        if (text.isEmpty()) {
            return new Hold(HoldReason.EMPTY, 0);
        }
        if (size > config.maxBytes()) {
            return new Hold(HoldReason.OVERSIZE, size);
        }
        if (secret && !config.sendSecrets()) {
            return new Hold(HoldReason.SECRET, size);
        }
        exchanged = text;
        direction = Direction.SENT;
        localChanged = false;
        return new Send(text);
    }

    private static long size(ClipboardText text) {
        return text.utf8Size();
    }

    @Override
    public synchronized String toString() {
        return "ClipboardSync[" + (connected ? "connected" : "apart") + (localChanged ? ", local change pending" : "")
                + "]";
    }
}
