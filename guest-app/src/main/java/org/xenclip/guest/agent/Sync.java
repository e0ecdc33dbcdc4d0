package org.xenclip.guest.agent;

import java.util.Optional;
import org.xenclip.desktop.ClipboardContent;
import org.xenclip.protocol.ClipboardText;

/** The sync decisions the I/O loop asks for; owned by {@code agent-io}. */
interface Sync {

    /**
     * The desktop clipboard as found at start: remembered as already exchanged, so starting the agent never
     * overwrites dom0's clipboard with an older guest text.
     */
    void onBaseline(ClipboardContent content);

    /** The desktop clipboard changed: the text to send to dom0, or empty (echo, repeat, oversize, secret). */
    Optional<ClipboardText> onLocal(ClipboardContent content);

    /** dom0 sent text: the text to put on the desktop clipboard, or empty when it is already there. */
    Optional<ClipboardText> onRemote(ClipboardText text);

    /** The session was (re)established: the text to offer dom0 now, or empty. */
    Optional<ClipboardText> onConnected();
}
