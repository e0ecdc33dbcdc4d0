package org.xenclip.desktop.x11;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.NativeLongByReference;
import jnr.ffi.byref.PointerByReference;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.desktop.ClipboardException;
import org.xenclip.desktop.Selection;

/**
 * One selection on one X display, spoken to directly through Xlib (ICCCM section 2, "Peer-to-Peer Communication by
 * Means of Selections"): a thread of its own ({@code clipboard}) owns a display connection and a small unmapped
 * window, and does everything on it in one event loop: it owns the selection for our writes and answers paste
 * requests (large texts in INCR chunks), reads other owners' texts (INCR included), and turns XFixes owner-change
 * events (other than for our own takes) into change callbacks.
 *
 * <p>Why not AWT: AWT's answer to a read could be its own stale copy for a moment after another program took the
 * selection, it keeps sending INCR chunks to a paste client that died (and so to the next window that gets the
 * same id), it reads each change through several layers and threads, and its toolkit costs start-up time and
 * memory. With one connection for owning, reading and watching, the server's own event order settles who owns
 * what, and a read asks the server for the owner first: our own text is answered from memory, anyone else's by
 * a real transfer.
 *
 * <p>Other threads hand work to the loop as tasks and wait for the result; a task that waits for the server (a
 * read, the timestamp for a write) keeps serving other events meanwhile, so reading our own selection, or a paste
 * client asking us while we read, cannot deadlock.
 */
final class SelectionLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SelectionLoop.class.getName());

    /**
     * The most a read takes from an owner: the protocol's payload cap is 1 MiB (protocol.md, limits), so this only
     * keeps a runaway owner from filling the heap; a larger text fails the read with a message saying so.
     */
    static final int MAX_READ_BYTES = 16 << 20;

    /** The longest a whole read may take, however steadily a slow owner sends its INCR chunks. */
    static final Duration MAX_READ_TIME = Duration.ofSeconds(60);

    /**
     * The longest a paste client may leave an INCR chunk unread before we drop its transfer (ICCCM 2.7.2 leaves the
     * timeout to the owner); a client that dies is dropped at once through its window's DestroyNotify.
     */
    static final Duration INCR_SEND_STALL = Duration.ofSeconds(10);

    /**
     * Texts up to this size go in one property, larger ones in INCR chunks of this size (ICCCM 2.5: INCR is for data
     * larger than the server's maximum request; toolkits chunk at 256 KiB too, which every reader handles).
     */
    static final int MAX_PROPERTY_BYTES = 256 << 10;

    /** X's "CurrentTime" and "None". */
    private static final long CURRENT_TIME = 0;

    private static final long NONE = 0;

    private static final int PROPERTY_DELETE = 1;

    private final String displayName;
    private final Selection selection;
    private final boolean watchChanges;
    private final Runnable onChange;
    private final Native.Xlib x = Native.xlib();
    private final Native.LibC libc = Native.libc();
    private final Runtime runtime = Runtime.getSystemRuntime();
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final int[] wakeup = new int[2];
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile String startFailure;
    private volatile boolean closing;
    private volatile boolean hasXFixes;

    // Owned by the loop thread from here on.
    private Pointer dpy;
    private long window;
    private Atoms atoms;
    private int fixesNotify = -1;
    private int propertyLimit = MAX_PROPERTY_BYTES;
    private final Pointer event = Memory.allocateDirect(runtime, Native.XEVENT_SIZE);
    private final Pointer reply = Memory.allocateDirect(runtime, Native.XEVENT_SIZE);
    private final Pointer fds = Memory.allocateDirect(runtime, 2 * Native.POLLFD_SIZE);
    private final byte[] drain = new byte[64];
    /** Our text while we own the selection; null once we know another program took it. */
    private Owned owned;

    private final Map<SendKey, IncrSend> sends = new HashMap<>();
    /** INCR sends dropped because the paste client's window went away, and because it stopped reading. */
    private int sendsAbandoned;

    private int sendsStalled;

    private SelectionLoop(String displayName, Selection selection, boolean watchChanges, Runnable onChange) {
        this.displayName = displayName;
        this.selection = selection;
        this.watchChanges = watchChanges;
        this.onChange = onChange;
        this.thread = new Thread(this::run, "clipboard");
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(
                (t, e) -> LOG.log(Level.SEVERE, "the " + selection + " thread died; the clipboard stops working", e));
    }

    /**
     * Opens {@code display} and starts the loop; with {@code watchChanges}, XFixes events call {@code onChange} on the
     * loop thread (keep it short: it must not call back into this loop and wait).
     *
     * @throws ClipboardException when the display cannot be opened
     * @throws UnsatisfiedLinkError when libX11.so.6 (or, for watching, libXfixes.so.3) is missing
     */
    static SelectionLoop open(String display, Selection selection, boolean watchChanges, Runnable onChange)
            throws ClipboardException {
        Native.xlib(); // fail on the caller's thread when the library is missing
        if (watchChanges) {
            Native.xfixes();
        }
        SelectionLoop loop = new SelectionLoop(display, selection, watchChanges, onChange);
        if (loop.libc.pipe(loop.wakeup) != 0) {
            throw new ClipboardException("pipe(2) failed for the " + selection + " thread's wake-up");
        }
        loop.thread.start();
        try {
            if (!loop.started.await(10, TimeUnit.SECONDS)) {
                loop.close();
                throw new ClipboardException("opening " + selection + " on X display " + display + " took over 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.close();
            throw new ClipboardException("interrupted while opening " + selection + " on " + display, e);
        }
        if (loop.startFailure != null) {
            loop.close();
            throw new ClipboardException(loop.startFailure);
        }
        return loop;
    }

    /** Whether change events come from XFixes; false when the server lacks it or watching was not asked for. */
    boolean watchesChanges() {
        return hasXFixes;
    }

    // ---- the API other threads call ----

    /**
     * The selection's text: ours from memory while we own it, else transferred from its owner.
     *
     * @param silence how long the owner may stay silent (per answer, per INCR chunk) before the read fails
     */
    Optional<ClipboardContent> read(Duration silence) throws ClipboardException {
        return call("read " + selection, silence.plus(MAX_READ_TIME), () -> readNow(silence.toNanos()));
    }

    /** Takes the selection with {@code text}, answering paste requests from then on. */
    void write(String text, Duration timeout) throws ClipboardException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        Pointer data = Memory.allocateDirect(runtime, Math.max(1, utf8.length));
        data.put(0, utf8, 0, utf8.length);
        long deadline = System.nanoTime() + timeout.toNanos();
        call("write " + selection, timeout, () -> {
            writeNow(new Owned(text, data, utf8.length), deadline);
            return null;
        });
    }

    /** INCR sends in progress, dropped because their client went away, and dropped because it stopped reading. */
    record SendCounts(int inProgress, int abandoned, int stalled) {}

    /** X errors on our connection so far (each ignored; see {@link XErrors}). */
    int errors() throws ClipboardException {
        return call("count errors", Duration.ofSeconds(10), () -> {
            x.XSync(dpy, false);
            return XErrors.count(dpy);
        });
    }

    SendCounts sendCounts() throws ClipboardException {
        return call(
                "count sends",
                Duration.ofSeconds(10),
                () -> new SendCounts(sends.size(), sendsAbandoned, sendsStalled));
    }

    @FunctionalInterface
    interface Task<T> {
        T run() throws ClipboardException;
    }

    private <T> T call(String what, Duration wait, Task<T> task) throws ClipboardException {
        if (Thread.currentThread() == thread) {
            return task.run();
        }
        if (closing) {
            throw new ClipboardException(what + ": clipboard closed");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            if (result.isDone()) {
                return; // the caller gave up waiting: a late write would overwrite whatever was copied since
            }
            try {
                result.complete(task.run());
            } catch (ClipboardException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        wake();
        try {
            return result.get(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new ClipboardException(what + " timed out after " + wait.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new ClipboardException(what + ": interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClipboardException clipboardException) {
                throw new ClipboardException(clipboardException.getMessage(), clipboardException);
            }
            throw new ClipboardException(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    private void wake() {
        libc.write(wakeup[1], new byte[] {1}, 1);
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (thread.isAlive() && Thread.currentThread() != thread) {
            wake();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            libc.close(wakeup[1]);
        }
    }

    // ---- the loop thread ----

    private void run() {
        dpy = x.XOpenDisplay(displayName);
        if (dpy == null) {
            fail("cannot open X display " + displayName);
            libc.close(wakeup[0]);
            return;
        }
        XErrors.register(dpy);
        try {
            atoms = new Atoms(x, dpy, selection);
            window = x.XCreateSimpleWindow(dpy, x.XDefaultRootWindow(dpy), 0, 0, 1, 1, 0, 0, 0);
            x.XSelectInput(dpy, window, Native.PROPERTY_CHANGE_MASK);
            long maxRequest = x.XExtendedMaxRequestSize(dpy);
            if (maxRequest == 0) {
                maxRequest = x.XMaxRequestSize(dpy);
            }
            // a property change request carries 24 bytes of header besides the data
            propertyLimit = (int) Math.max(4096, Math.min(MAX_PROPERTY_BYTES, maxRequest * 4 - 1024));
            if (watchChanges) {
                IntByReference eventBase = new IntByReference();
                if (Native.xfixes().XFixesQueryExtension(dpy, eventBase, new IntByReference())) {
                    fixesNotify = eventBase.getValue() + Native.SELECTION_NOTIFY;
                    Native.xfixes()
                            .XFixesSelectSelectionInput(
                                    dpy, x.XDefaultRootWindow(dpy), atoms.selection, Native.ALL_SELECTION_EVENTS);
                    hasXFixes = true;
                }
            }
            x.XFlush(dpy);
            started.countDown();
            fds.putInt(0, x.XConnectionNumber(dpy));
            fds.putShort(4, Native.POLLIN);
            fds.putInt(8, wakeup[0]);
            fds.putShort(12, Native.POLLIN);
            loop();
        } finally {
            failPendingTasks();
            XErrors.unregister(dpy);
            x.XCloseDisplay(dpy);
            libc.close(wakeup[0]);
            started.countDown();
        }
    }

    private void fail(String message) {
        startFailure = message;
        started.countDown();
    }

    private void loop() {
        while (!closing) {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
            while (x.XPending(dpy) > 0) {
                x.XNextEvent(dpy, event);
                dispatch(event);
            }
            waitForInput(expireSends());
        }
    }

    private void failPendingTasks() {
        closing = true;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run(); // each fails at once: the display is still open, and waits check closing
        }
    }

    /** Waits for X input or a wake-up, at most {@code millis} (-1: no bound), and drains the wake-up pipe. */
    private void waitForInput(int millis) {
        fds.putShort(6, (short) 0);
        fds.putShort(14, (short) 0);
        int ready = libc.poll(fds, 2, millis);
        if (ready > 0 && (fds.getShort(14) & 0xffff) != 0) {
            libc.read(wakeup[0], drain, drain.length);
        }
    }

    /**
     * Processes events until one matches {@code wanted}, which it returns (a copy), serving every other event as
     * the loop would.
     *
     * @return null when {@code deadline} (a {@link System#nanoTime} value) passed first
     */
    private Pointer await(Predicate<Pointer> wanted, long deadline) throws ClipboardException {
        while (true) {
            while (x.XPending(dpy) > 0) {
                x.XNextEvent(dpy, event);
                if (wanted.test(event)) {
                    Pointer copy = Memory.allocateDirect(runtime, Native.XEVENT_SIZE);
                    event.transferTo(0, copy, 0, Native.XEVENT_SIZE);
                    return copy;
                }
                dispatch(event);
            }
            if (closing) {
                throw new ClipboardException(selection + " on " + displayName + " was closed");
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            int sendDue = expireSends();
            int leftMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1);
            waitForInput(sendDue < 0 ? leftMillis : Math.min(sendDue, leftMillis));
        }
    }

    private void dispatch(Pointer e) {
        int type = typeOf(e);
        switch (type) {
            case Native.SELECTION_REQUEST -> serve(e);
            case Native.SELECTION_CLEAR -> {
                Owned ours = owned;
                if (ours != null
                        && e.getLong(Native.CLEAR_SELECTION) == atoms.selection
                        && !before(e.getLong(Native.CLEAR_TIME), ours.time)) {
                    owned = null; // a clear older than our latest take is about an earlier take
                }
            }
            case Native.PROPERTY_NOTIFY -> {
                if (e.getInt(Native.PROPERTY_STATE) == PROPERTY_DELETE) {
                    IncrSend send = sends.get(new SendKey(e.getLong(Native.WINDOW), e.getLong(Native.PROPERTY_ATOM)));
                    if (send != null) {
                        nextChunk(send);
                    }
                }
            }
            case Native.DESTROY_NOTIFY -> {
                long gone = e.getLong(Native.DESTROYED_WINDOW);
                int before = sends.size();
                if (sends.keySet().removeIf(key -> key.requestor == gone)) {
                    sendsAbandoned += before - sends.size();
                    LOG.fine(() -> selection + ": paste client window 0x" + Long.toHexString(gone)
                            + " went away mid-transfer; its transfer is dropped");
                }
            }
            default -> {
                // Our own takes are not reported: the caller knows what it wrote, and a read of it would only
                // delay the reaction to the user's next copy.
                if (type == fixesNotify
                        && e.getLong(Native.FIXES_SELECTION) == atoms.selection
                        && e.getLong(Native.FIXES_OWNER) != window) {
                    onChange.run();
                }
            }
        }
    }

    /** An event's type, without the high bit that marks events sent by SendEvent. */
    private static int typeOf(Pointer event) {
        return event.getInt(Native.TYPE) & 0x7f;
    }

    /** X times are 32-bit milliseconds that wrap: whether {@code a} comes before {@code b}. */
    private static boolean before(long a, long b) {
        return (int) (a - b) < 0;
    }

    // ---- owning ----

    private void writeNow(Owned text, long deadline) throws ClipboardException {
        // ICCCM 2.1: take the selection with a real timestamp, not CurrentTime; a zero-length append to a property
        // of our own window makes the server send one.
        x.XChangeProperty(
                dpy, window, atoms.timestampProperty, Native.XA_INTEGER, 8, Native.PROP_MODE_APPEND, reply, 0);
        Pointer notify = await(
                e -> typeOf(e) == Native.PROPERTY_NOTIFY
                        && e.getLong(Native.WINDOW) == window
                        && e.getLong(Native.PROPERTY_ATOM) == atoms.timestampProperty,
                deadline);
        if (notify == null) {
            throw new ClipboardException("write " + selection + ": the X server sent no timestamp in time");
        }
        text.time = notify.getLong(Native.PROPERTY_TIME);
        x.XSetSelectionOwner(dpy, atoms.selection, window, text.time);
        long owner = x.XGetSelectionOwner(dpy, atoms.selection);
        if (owner != window) {
            throw new ClipboardException("write " + selection + ": window 0x" + Long.toHexString(owner)
                    + " took the selection at the same moment; our text was not set");
        }
        owned = text;
    }

    private void serve(Pointer request) {
        long requestor = request.getLong(Native.REQUEST_REQUESTOR);
        long target = request.getLong(Native.REQUEST_TARGET);
        long property = request.getLong(Native.REQUEST_PROPERTY);
        long time = request.getLong(Native.REQUEST_TIME);
        long selectionAtom = request.getLong(Native.REQUEST_SELECTION);
        if (property == NONE) {
            property = target; // ICCCM 2.2: an obsolete client; answer in the property named like the target
        }
        Owned text = owned;
        boolean answered = text != null
                && selectionAtom == atoms.selection
                && (time == CURRENT_TIME || !before(time, text.time))
                && answer(text, requestor, target, property);
        reply.putInt(Native.TYPE, Native.SELECTION_NOTIFY_CORE);
        reply.putLong(8, 0);
        reply.putInt(16, 1);
        reply.putAddress(Native.DISPLAY, dpy.address());
        reply.putLong(Native.WINDOW, requestor);
        reply.putLong(Native.NOTIFY_SELECTION, selectionAtom);
        reply.putLong(Native.NOTIFY_TARGET, target);
        reply.putLong(Native.NOTIFY_PROPERTY, answered ? property : NONE);
        reply.putLong(Native.NOTIFY_TIME, time);
        x.XSendEvent(dpy, requestor, false, 0, reply);
    }

    /** Puts {@code target}'s data on the requestor's property; false for a target we do not offer. */
    private boolean answer(Owned text, long requestor, long target, long property) {
        if (target == atoms.targets) {
            long[] offered = {
                atoms.targets, atoms.timestamp, atoms.utf8String, atoms.textPlainUtf8, Native.XA_STRING, atoms.text
            };
            Pointer list = Memory.allocateDirect(runtime, offered.length * 8);
            list.put(0, offered, 0, offered.length);
            x.XChangeProperty(
                    dpy, requestor, property, Native.XA_ATOM, 32, Native.PROP_MODE_REPLACE, list, offered.length);
            return true;
        }
        if (target == atoms.timestamp) {
            Pointer value = Memory.allocateDirect(runtime, 8);
            value.putLong(0, text.time);
            x.XChangeProperty(dpy, requestor, property, Native.XA_INTEGER, 32, Native.PROP_MODE_REPLACE, value, 1);
            return true;
        }
        if (target == atoms.utf8String || target == atoms.textPlainUtf8 || target == atoms.text) {
            long type = target == atoms.text ? atoms.utf8String : target;
            send(requestor, property, type, text.utf8, text.length);
            return true;
        }
        if (target == Native.XA_STRING) {
            Pointer latin1 = text.latin1(runtime);
            send(requestor, property, Native.XA_STRING, latin1, text.latin1Length);
            return true;
        }
        return false;
    }

    private void send(long requestor, long property, long type, Pointer data, int length) {
        if (length <= propertyLimit) {
            x.XChangeProperty(dpy, requestor, property, type, 8, Native.PROP_MODE_REPLACE, data, length);
            return;
        }
        // ICCCM 2.7.2: announce the size with INCR, then write a chunk each time the requestor deletes the property,
        // ending with an empty one. We watch the requestor's window for the deletions and for its destruction.
        if (requestor != window) {
            x.XSelectInput(dpy, requestor, Native.PROPERTY_CHANGE_MASK | Native.STRUCTURE_NOTIFY_MASK);
        }
        Pointer size = Memory.allocateDirect(runtime, 8);
        size.putLong(0, length);
        x.XChangeProperty(dpy, requestor, property, atoms.incr, 32, Native.PROP_MODE_REPLACE, size, 1);
        IncrSend transfer = new IncrSend(requestor, property, type, data, length);
        transfer.due = System.nanoTime() + INCR_SEND_STALL.toNanos();
        sends.put(new SendKey(requestor, property), transfer);
    }

    private void nextChunk(IncrSend transfer) {
        int chunk = Math.min(propertyLimit, transfer.length - transfer.offset);
        x.XChangeProperty(
                dpy,
                transfer.requestor,
                transfer.property,
                transfer.type,
                8,
                Native.PROP_MODE_REPLACE,
                transfer.data.slice(transfer.offset),
                chunk);
        transfer.offset += chunk;
        transfer.due = System.nanoTime() + INCR_SEND_STALL.toNanos();
        if (chunk == 0) {
            finish(transfer);
        }
    }

    private void finish(IncrSend transfer) {
        sends.remove(new SendKey(transfer.requestor, transfer.property));
        boolean more = sends.keySet().stream().anyMatch(key -> key.requestor == transfer.requestor);
        if (!more && transfer.requestor != window) {
            x.XSelectInput(dpy, transfer.requestor, 0);
        }
    }

    /** Drops stalled INCR sends; returns the milliseconds until the next one is due, or -1 for none. */
    private int expireSends() {
        if (sends.isEmpty()) {
            return -1;
        }
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        List<IncrSend> stalled = new ArrayList<>();
        for (IncrSend transfer : sends.values()) {
            if (transfer.due - now <= 0) {
                stalled.add(transfer);
            } else {
                next = Math.min(next, transfer.due - now);
            }
        }
        for (IncrSend transfer : stalled) {
            sendsStalled++;
            LOG.fine(
                    () -> selection + ": paste client 0x" + Long.toHexString(transfer.requestor) + " took no chunk for "
                            + INCR_SEND_STALL.toSeconds() + " s after " + transfer.offset + " of " + transfer.length
                            + " bytes; transfer dropped");
            finish(transfer);
        }
        return next == Long.MAX_VALUE ? -1 : (int) TimeUnit.NANOSECONDS.toMillis(next) + 1;
    }

    // ---- reading ----

    private Optional<ClipboardContent> readNow(long silence) throws ClipboardException {
        long owner = x.XGetSelectionOwner(dpy, atoms.selection);
        if (owner == NONE) {
            return Optional.empty();
        }
        if (owner == window) {
            Owned text = owned;
            return text == null ? Optional.empty() : Optional.of(new ClipboardContent(text.text, false));
        }
        long end = System.nanoTime() + MAX_READ_TIME.toNanos();
        Property targets = convert(atoms.targets, silence, end);
        List<Long> offered = targets != null && targets.longs != null ? targets.atoms() : null;
        long target;
        if (offered == null) {
            target = atoms.utf8String; // an owner that lists no targets: ask for UTF-8 text, then Latin-1
        } else if (offered.contains(atoms.utf8String)) {
            target = atoms.utf8String;
        } else if (offered.contains(atoms.textPlainUtf8)) {
            target = atoms.textPlainUtf8;
        } else if (offered.contains(Native.XA_STRING)) {
            target = Native.XA_STRING;
        } else if (offered.contains(atoms.text)) {
            target = atoms.text;
        } else {
            return Optional.empty(); // no text: an image, files, ...
        }
        Property data = convert(target, silence, end);
        if (data == null && offered == null) {
            data = convert(Native.XA_STRING, silence, end);
        }
        if (data == null || data.bytes == null) {
            return Optional.empty(); // refused: the owner changed or gave up between our requests
        }
        boolean secret = offered != null && offered.contains(atoms.passwordHint) && isSecret(silence, end);
        return Optional.of(new ClipboardContent(decode(data), secret));
    }

    private boolean isSecret(long silence, long end) throws ClipboardException {
        Property hint = convert(atoms.passwordHint, silence, end);
        return hint != null
                && hint.bytes != null
                && hint.bytes.length <= 64
                && new String(hint.bytes, StandardCharsets.UTF_8).trim().equals("secret");
    }

    private String decode(Property data) {
        if (data.type == Native.XA_STRING) {
            return new String(data.bytes, StandardCharsets.ISO_8859_1);
        }
        // UTF8_STRING, text/plain;charset=utf-8, or TEXT answered as either; malformed bytes become U+FFFD
        return new String(data.bytes, StandardCharsets.UTF_8);
    }

    /** Asks the owner for {@code target} into our window's property; null when it refuses. */
    private Property convert(long target, long silence, long end) throws ClipboardException {
        x.XConvertSelection(dpy, atoms.selection, target, atoms.readProperty, window, CURRENT_TIME);
        Pointer notify = await(
                e -> typeOf(e) == Native.SELECTION_NOTIFY_CORE
                        && e.getLong(Native.WINDOW) == window
                        && e.getLong(Native.NOTIFY_SELECTION) == atoms.selection
                        && e.getLong(Native.NOTIFY_TARGET) == target,
                Math.min(System.nanoTime() + silence, end));
        if (notify == null) {
            throw new ClipboardException("read " + selection + ": its owner did not answer within "
                    + TimeUnit.NANOSECONDS.toMillis(silence) + " ms");
        }
        if (notify.getLong(Native.NOTIFY_PROPERTY) == NONE) {
            return null;
        }
        Property value = takeProperty();
        if (value.type != atoms.incr) {
            return value;
        }
        return receiveIncr(silence, end);
    }

    /** ICCCM 2.7.2: the owner writes a chunk each time we delete the property, and an empty one at the end. */
    private Property receiveIncr(long silence, long end) throws ClipboardException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while (true) {
            Pointer notify = await(
                    e -> typeOf(e) == Native.PROPERTY_NOTIFY
                            && e.getLong(Native.WINDOW) == window
                            && e.getLong(Native.PROPERTY_ATOM) == atoms.readProperty
                            && e.getInt(Native.PROPERTY_STATE) == Native.PROPERTY_NEW_VALUE,
                    Math.min(System.nanoTime() + silence, end));
            if (notify == null) {
                x.XDeleteProperty(dpy, window, atoms.readProperty);
                throw new ClipboardException("read " + selection + ": its owner stopped sending after " + text.size()
                        + " bytes (no INCR chunk within " + TimeUnit.NANOSECONDS.toMillis(silence) + " ms"
                        + (System.nanoTime() - end >= 0
                                ? ", or the read passed " + MAX_READ_TIME.toSeconds() + " s"
                                : "")
                        + ")");
            }
            Property chunk = takeProperty();
            if (chunk.bytes == null || chunk.bytes.length == 0) {
                return new Property(chunk.type, text.toByteArray(), null);
            }
            if (text.size() + chunk.bytes.length > MAX_READ_BYTES) {
                throw new ClipboardException("read " + selection + ": the text is larger than " + MAX_READ_BYTES
                        + " bytes, more than the clipboard reads");
            }
            text.write(chunk.bytes, 0, chunk.bytes.length);
        }
    }

    /** Takes our read property's value: read and deleted in one request, so the owner may write the next. */
    private Property takeProperty() throws ClipboardException {
        NativeLongByReference type = new NativeLongByReference();
        IntByReference format = new IntByReference();
        NativeLongByReference items = new NativeLongByReference();
        NativeLongByReference after = new NativeLongByReference();
        PointerByReference data = new PointerByReference();
        int status = x.XGetWindowProperty(
                dpy,
                window,
                atoms.readProperty,
                0,
                MAX_READ_BYTES / 4 + 1,
                true,
                0, // AnyPropertyType
                type,
                format,
                items,
                after,
                data);
        if (status != 0) {
            throw new ClipboardException("read " + selection + ": XGetWindowProperty failed with status " + status);
        }
        Pointer values = data.getValue();
        try {
            if (after.getValue().longValue() != 0) {
                throw new ClipboardException("read " + selection + ": the text is larger than " + MAX_READ_BYTES
                        + " bytes, more than the clipboard reads");
            }
            int count = items.getValue().intValue();
            if (values == null || count == 0) {
                return new Property(type.getValue().longValue(), new byte[0], null);
            }
            return switch (format.getValue()) {
                case 32 -> {
                    long[] longs = new long[count]; // Xlib hands 32-bit items over as C longs
                    values.get(0, longs, 0, count);
                    yield new Property(type.getValue().longValue(), null, longs);
                }
                case 16 -> {
                    byte[] bytes = new byte[count * 2];
                    values.get(0, bytes, 0, bytes.length);
                    yield new Property(type.getValue().longValue(), bytes, null);
                }
                default -> {
                    byte[] bytes = new byte[count];
                    values.get(0, bytes, 0, count);
                    yield new Property(type.getValue().longValue(), bytes, null);
                }
            };
        } finally {
            if (values != null) {
                x.XFree(values);
            }
        }
    }

    // ---- values ----

    /** The atoms the loop uses, interned once on its connection. */
    private static final class Atoms {
        final long selection;
        final long targets;
        final long timestamp;
        final long utf8String;
        final long textPlainUtf8;
        final long text;
        final long incr;
        final long passwordHint;
        /** Our window's property that owners write their answers to. */
        final long readProperty;
        /** Our window's property appended to for a server timestamp. */
        final long timestampProperty;

        Atoms(Native.Xlib x, Pointer dpy, Selection selection) {
            this.selection = x.XInternAtom(dpy, selection.name(), false);
            this.targets = x.XInternAtom(dpy, "TARGETS", false);
            this.timestamp = x.XInternAtom(dpy, "TIMESTAMP", false);
            this.utf8String = x.XInternAtom(dpy, "UTF8_STRING", false);
            this.textPlainUtf8 = x.XInternAtom(dpy, "text/plain;charset=utf-8", false);
            this.text = x.XInternAtom(dpy, "TEXT", false);
            this.incr = x.XInternAtom(dpy, "INCR", false);
            this.passwordHint = x.XInternAtom(dpy, X11Clipboard.PASSWORD_MANAGER_HINT, false);
            this.readProperty = x.XInternAtom(dpy, "XENCLIP_SELECTION", false);
            this.timestampProperty = x.XInternAtom(dpy, "XENCLIP_TIMESTAMP", false);
        }
    }

    /** Our text while we own the selection, with its UTF-8 bytes ready for paste requests. */
    private static final class Owned {
        final String text;
        final Pointer utf8;
        final int length;
        /** The server time we took the selection at. */
        long time;

        /** STRING's bytes and their count, made on the first request for STRING. */
        private Pointer latin1;

        private int latin1Length;

        Owned(String text, Pointer utf8, int length) {
            this.text = text;
            this.utf8 = utf8;
            this.length = length;
        }

        /** STRING is ISO Latin-1 (ICCCM 2.6.2); characters outside it become '?'. */
        Pointer latin1(Runtime runtime) {
            if (latin1 == null) {
                byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
                latin1 = Memory.allocateDirect(runtime, Math.max(1, bytes.length));
                latin1.put(0, bytes, 0, bytes.length);
                latin1Length = bytes.length;
            }
            return latin1;
        }
    }

    /** An INCR transfer to one paste client's property. */
    private static final class IncrSend {
        final long requestor;
        final long property;
        final long type;
        final Pointer data;
        final int length;
        int offset;
        /** When the transfer is dropped unless the client takes the next chunk (nanoTime). */
        long due;

        IncrSend(long requestor, long property, long type, Pointer data, int length) {
            this.requestor = requestor;
            this.property = property;
            this.type = type;
            this.data = data;
            this.length = length;
        }
    }

    private record SendKey(long requestor, long property) {}

    /** A property's value: bytes for 8- and 16-bit formats, longs for 32-bit ones. */
    @SuppressWarnings("ArrayRecordComponent") // read once where it is made, never compared
    private record Property(long type, byte[] bytes, long[] longs) {
        List<Long> atoms() {
            List<Long> list = new ArrayList<>(longs.length);
            for (long atom : longs) {
                list.add(atom);
            }
            return list;
        }
    }
}
