package org.xenclip.host.hub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.xenclip.host.settings.Settings;
import org.xenclip.host.vm.HostNotification;
import org.xenclip.host.vm.SyncMode;
import org.xenclip.protocol.ClipboardText;

/**
 * dom0 as the hub (issue 3 "Sync policy"). A dom0 copy goes to every linked VM whose mode includes dom0->VM;
 * a VM's text goes to the dom0 clipboard when its mode includes VM->dom0, and on to the other VMs only when
 * "share between VMs" is on. Text never goes back to where it came from, and a value equal to the last one
 * exchanged with a VM is not sent again (protocol.md rule 6).
 *
 * <p>A VM is "linked" while its session is established. Owned by one thread; not thread-safe.
 */
public final class ClipboardHub {

    /**
     * A text from the VM made before the VM saw dom0's latest text crossed it on the wire, and loses: dom0
     * arbitrates (docs/desktop-clipboard.md, "Crossing texts"). An agent that never asks for our text (not
     * ours) would lose every text that way, so the arbitration lapses this long after dom0's last send.
     */
    public static final Duration CROSSING_LIMIT = Duration.ofSeconds(10);

    /** How long a VM that tripped the rate limit stays paused before its text is taken again. */
    public static final Duration RATE_LIMIT_PAUSE = Duration.ofSeconds(30);

    private Settings settings;
    private final Map<String, Peer> peers = new TreeMap<>();
    /** What the dom0 clipboard holds as far as we know, or null before the first read. */
    private ClipboardText localText;
    /** Whether {@link #localText} may go to VMs that link later (not copied while paused, not secret). */
    private boolean localShareable;
    /** The VM whose text {@link #localText} is, or null for a dom0 copy. */
    private String localOrigin;

    private static final class Peer {
        SyncMode mode = SyncMode.OFF;
        boolean linked;
        /** The last value exchanged with the VM either way: what it holds as far as we know. */
        ClipboardText exchanged;
        /**
         * Whether the VM is known to have {@link #exchanged}: it sent it, or asked for it. A confirmed value
         * outlives the link (a reconnect does not push it again); an unconfirmed one is forgotten on unlink.
         */
        boolean confirmed;
        /** {@link TextHash} of what the VM held when an earlier run of the app last knew (or null). */
        String remembered;

        RateLimiter limiter;
        long pausedUntil = -1;
        /** The text dom0 last sent the VM in this link (or null), and when, for {@link #CROSSING_LIMIT}. */
        ClipboardText lastSent;
        /** Whether the VM asked for {@link #lastSent}; until it does, a VM text meanwhile crossed it. */
        boolean lastSentTaken;

        long lastSentAt;
    }

    /** Milliseconds on the engine's monotonic clock: when a text went to a VM, for {@link #CROSSING_LIMIT}. */
    private final LongSupplier millis;

    /**
     * The last text hashed and its hash: one dom0 copy is checked against every VM's remembered hash, and a
     * megabyte's SHA-256 per VM would hold up the engine thread.
     */
    private ClipboardText hashed;

    private String hash;

    /** Told (vm, text) whenever a VM is known to hold a text: worth keeping across a restart, by its hash. */
    private final BiConsumer<String, ClipboardText> held;

    public ClipboardHub(Settings settings) {
        this(settings, () -> System.nanoTime() / 1_000_000L, (vm, text) -> {});
    }

    public ClipboardHub(Settings settings, LongSupplier millis, BiConsumer<String, ClipboardText> held) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.millis = Objects.requireNonNull(millis, "millis");
        this.held = Objects.requireNonNull(held, "held");
    }

    /** New limits and switches; a changed rate limit starts counting afresh. */
    public void setSettings(Settings s) {
        boolean rateChanged = s.rateLimitCount() != settings.rateLimitCount()
                || !s.rateLimitWindow().equals(settings.rateLimitWindow());
        this.settings = s;
        if (rateChanged) {
            peers.values().forEach(p -> p.limiter = newLimiter());
        }
    }

    public List<HubAction> addVm(String vm, SyncMode mode) {
        Peer p = peers.computeIfAbsent(vm, k -> {
            Peer n = new Peer();
            n.limiter = newLimiter();
            return n;
        });
        p.mode = mode;
        return List.of(new HubAction.AcceptIncoming(vm, accepts(p)));
    }

    /**
     * What an earlier run of the app last knew the VM to hold (as told to {@code held}): on the first link
     * dom0's text is not pushed if it is that text, so a restarted dom0 app does not overwrite a copy the user
     * made in the VM meanwhile with an older one.
     */
    public void remember(String vm, String textHash) {
        Peer p = peers.get(vm);
        if (p != null) {
            p.remembered = textHash;
        }
    }

    public void removeVm(String vm) {
        peers.remove(vm);
    }

    public boolean isLinked(String vm) {
        Peer p = peers.get(vm);
        return p != null && p.linked;
    }

    public boolean acceptsFrom(String vm) {
        Peer p = peers.get(vm);
        return p != null && accepts(p);
    }

    public Optional<String> pausedReason(String vm) {
        Peer p = peers.get(vm);
        return p == null || p.pausedUntil < 0 ? Optional.empty() : Optional.of(rateReason());
    }

    /** The user changed the VM's mode: a rate-limit pause ends, and a newly opened dom0->VM way gets the text. */
    public List<HubAction> setMode(String vm, SyncMode mode) {
        Peer p = peers.get(vm);
        if (p == null) {
            return List.of();
        }
        List<HubAction> out = new ArrayList<>();
        boolean opened = mode.toGuest() && !p.mode.toGuest();
        p.mode = mode;
        if (p.pausedUntil >= 0) {
            p.pausedUntil = -1;
            p.limiter.reset();
            out.add(new HubAction.PauseChanged(vm, Optional.empty()));
        }
        out.add(new HubAction.AcceptIncoming(vm, accepts(p)));
        if (opened && p.linked) {
            pushLocal(vm, p, out);
        }
        return out;
    }

    /** The global pause: nothing is sent or taken while it is on. */
    public List<HubAction> setPaused(boolean paused) {
        settings = settings.withPaused(paused);
        List<HubAction> out = new ArrayList<>();
        peers.forEach((vm, p) -> out.add(new HubAction.AcceptIncoming(vm, accepts(p))));
        return out;
    }

    public boolean isPaused() {
        return settings.paused();
    }

    /**
     * The VM's session is established (first time or after a reconnect). dom0's text goes to the VM when the
     * mode allows, unless the VM is known to hold it (it sent it or asked for it, in this run or, by its hash,
     * in an earlier one) or it came from this VM. The agent offers its own text at the same moment if it may
     * be new to dom0; if both do, the two cross and dom0's wins (docs/desktop-clipboard.md, "Reconnect").
     */
    public List<HubAction> vmLinked(String vm) {
        Peer p = peers.get(vm);
        if (p == null) {
            return List.of();
        }
        p.linked = true;
        List<HubAction> out = new ArrayList<>();
        p.lastSent = null;
        out.add(new HubAction.AcceptIncoming(vm, accepts(p)));
        pushLocal(vm, p, out);
        return out;
    }

    /**
     * The VM asked for the text dom0 sent it (the protocol's PeerTookText): it has seen it, so a text it sends
     * from now on was made after. It does not hold it yet: see {@link #vmGotText}.
     */
    public void vmTookText(String vm) {
        Peer p = peers.get(vm);
        if (p == null || p.lastSent == null || p.lastSentTaken) {
            return;
        }
        p.lastSentTaken = true;
    }

    /**
     * The VM read the text it took (it answered a peek sent behind it): it holds it, and a reconnect does not
     * send it again. Until then a dropped link or a reboot may have cut it off in the channel, and the next link
     * sends it again (a VM that has it drops the copy).
     */
    public void vmGotText(String vm) {
        Peer p = peers.get(vm);
        if (p == null || p.lastSent == null || !p.lastSentTaken) {
            return;
        }
        if (p.lastSent.equals(p.exchanged)) {
            confirm(vm, p);
        }
    }

    public void vmUnlinked(String vm) {
        Peer p = peers.get(vm);
        if (p != null) {
            p.linked = false;
            if (!p.confirmed) {
                p.exchanged = null; // it may have died in the channel: the next link sends it again
            }
            p.lastSent = null;
        }
    }

    /**
     * The dom0 clipboard changed. Text equal to what we last put there (a VM's text coming back) is ignored:
     * it was relayed, or not, when it arrived.
     *
     * @param secret the owner marked it secret (a password manager): it stays on dom0
     */
    public List<HubAction> localChanged(ClipboardText text, boolean secret) {
        if (text.equals(localText)) {
            return List.of();
        }
        localText = text;
        localOrigin = null;
        localShareable = !secret && !settings.paused() && !text.isEmpty();
        if (!localShareable) {
            return List.of();
        }
        long size = text.utf8Size();
        if (size > settings.maxTextBytes()) {
            localShareable = false;
            return List.of(new HubAction.Notify(new HostNotification(
                    HostNotification.Kind.OVERSIZE,
                    "",
                    "dom0 clipboard text of " + size + " bytes exceeds the limit of " + settings.maxTextBytes()
                            + " bytes; not sent to any VM")));
        }
        List<HubAction> out = new ArrayList<>();
        peers.forEach((vm, p) -> {
            if (p.linked && p.mode.toGuest() && !knownToHold(p, text)) {
                send(vm, p, text, out);
            }
        });
        return out;
    }

    /** Text arrived whole from a VM's agent at {@code nowMillis}; nothing was on the wire towards the VM. */
    public List<HubAction> vmText(String vm, ClipboardText text, long nowMillis) {
        return vmText(vm, text, false, nowMillis);
    }

    /**
     * Text arrived whole from a VM's agent at {@code nowMillis}.
     *
     * @param crossed the session saw it and dom0's latest text on the wire at the same time
     */
    public List<HubAction> vmText(String vm, ClipboardText text, boolean crossed, long nowMillis) {
        Peer p = peers.get(vm);
        if (p == null || !accepts(p)) {
            return List.of();
        }
        if (p.lastSent != null
                && (crossed || !p.lastSentTaken)
                && !text.equals(p.lastSent)
                && millis.getAsLong() - p.lastSentAt < CROSSING_LIMIT.toMillis()) {
            // The VM made this before it saw our latest text: the session saw the two on the wire at once, or
            // we handed ours to the connection before this arrived and the VM has not asked for it yet. The
            // agent applies ours when it arrives and does not send its write of it back, so taking this one
            // would leave each side with the other's text. dom0 arbitrates: ours stands on both sides.
            return List.of(new HubAction.CrossedTextLost(vm, text.utf8Size()));
        }
        if (text.equals(p.exchanged)) {
            return List.of(); // the agent reporting what we just gave it
        }
        List<HubAction> out = new ArrayList<>();
        if (!p.limiter.tryAcquire(nowMillis)) {
            p.pausedUntil = nowMillis + RATE_LIMIT_PAUSE.toMillis();
            String reason = rateReason();
            out.add(new HubAction.PauseChanged(vm, Optional.of(reason)));
            out.add(new HubAction.AcceptIncoming(vm, false));
            out.add(new HubAction.Notify(new HostNotification(HostNotification.Kind.RATE_LIMITED, vm, reason)));
            return out;
        }
        p.exchanged = text;
        confirm(vm, p);
        long size = text.utf8Size();
        if (size > settings.maxTextBytes()) {
            out.add(new HubAction.Notify(new HostNotification(
                    HostNotification.Kind.OVERSIZE,
                    vm,
                    "text of " + size + " bytes from " + vm + " exceeds the limit of " + settings.maxTextBytes()
                            + " bytes; dropped")));
            return out;
        }
        ClipboardText clean = text;
        if (settings.sanitize()) {
            TextSanitizer.Result r = TextSanitizer.sanitize(text.text());
            if (r.removed() > 0) {
                clean = new ClipboardText(r.text());
            }
        }
        if (clean.isEmpty()) {
            return out;
        }
        if (!clean.equals(localText)) {
            localText = clean;
            localOrigin = vm;
            // A VM's text reaches VMs that link later only when it would have been relayed to them now.
            localShareable = settings.shareBetweenVms();
            out.add(new HubAction.WriteLocal(clean, vm));
        }
        if (settings.shareBetweenVms()) {
            ClipboardText relayed = clean;
            peers.forEach((other, q) -> {
                if (!other.equals(vm) && q.linked && q.mode.toGuest() && !relayed.equals(q.exchanged)) {
                    send(other, q, relayed, out);
                }
            });
        }
        return out;
    }

    /** Time passed: rate-limit pauses that are over end. */
    public List<HubAction> tick(long nowMillis) {
        List<HubAction> out = new ArrayList<>();
        peers.forEach((vm, p) -> {
            if (p.pausedUntil >= 0 && nowMillis >= p.pausedUntil) {
                p.pausedUntil = -1;
                p.limiter.reset();
                out.add(new HubAction.PauseChanged(vm, Optional.empty()));
                out.add(new HubAction.AcceptIncoming(vm, accepts(p)));
            }
        });
        return out;
    }

    /** The earliest time {@link #tick} has something to do, or {@link Long#MAX_VALUE}. */
    public long nextDeadlineMillis() {
        long next = Long.MAX_VALUE;
        for (Peer p : peers.values()) {
            if (p.pausedUntil >= 0) {
                next = Math.min(next, p.pausedUntil);
            }
        }
        return next;
    }

    /** Sends dom0's text to the VM if the rules allow. */
    private void pushLocal(String vm, Peer p, List<HubAction> out) {
        if (localText != null
                && localShareable
                && !settings.paused()
                && !vm.equals(localOrigin)
                && p.mode.toGuest()
                && !knownToHold(p, localText)) {
            send(vm, p, localText, out);
        }
    }

    /**
     * Whether the VM has {@code text} as far as we know: it is the last value exchanged with it, or, before any
     * exchange in this run, the one an earlier run remembered.
     */
    private boolean knownToHold(Peer p, ClipboardText text) {
        if (p.exchanged == null && p.remembered != null && p.remembered.equals(hashOf(text))) {
            p.exchanged = text;
            p.confirmed = true;
        }
        return text.equals(p.exchanged);
    }

    /** {@link TextHash#of}, remembered for the last text: a dom0 copy is checked against every VM it goes to. */
    private String hashOf(ClipboardText text) {
        if (!text.equals(hashed)) {
            hashed = text;
            hash = TextHash.of(text);
        }
        return hash;
    }

    private void confirm(String vm, Peer p) {
        p.confirmed = true;
        p.remembered = null;
        held.accept(vm, p.exchanged);
    }

    private void send(String vm, Peer p, ClipboardText text, List<HubAction> out) {
        p.exchanged = text;
        p.confirmed = false;
        p.remembered = null;
        p.lastSent = text;
        p.lastSentTaken = false;
        p.lastSentAt = millis.getAsLong();
        out.add(new HubAction.SendToVm(vm, text));
    }

    private boolean accepts(Peer p) {
        return p.mode.fromGuest() && !settings.paused() && p.pausedUntil < 0;
    }

    private RateLimiter newLimiter() {
        return new RateLimiter(
                settings.rateLimitCount(), settings.rateLimitWindow().toMillis());
    }

    private String rateReason() {
        return "paused for " + RATE_LIMIT_PAUSE.toSeconds() + " s: the VM changed its clipboard more than "
                + settings.rateLimitCount() + " times in "
                + settings.rateLimitWindow().toMillis() / 1000.0
                + " s, faster than a person copies";
    }
}
