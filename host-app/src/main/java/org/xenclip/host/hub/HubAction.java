package org.xenclip.host.hub;

import org.xenclip.host.vm.HostNotification;
import org.xenclip.protocol.ClipboardText;

/** What the hub asks the engine to do, in order. */
public sealed interface HubAction {

    /** Send this text to the VM's agent. */
    record SendToVm(String vm, ClipboardText text) implements HubAction {}

    /** Put this text on the dom0 clipboard; {@code originVm} is the VM it came from. */
    record WriteLocal(ClipboardText text, String originVm) implements HubAction {}

    /** Whether the VM's connection should take text from the agent (mode, pause, rate limit). */
    record AcceptIncoming(String vm, boolean accept) implements HubAction {}

    /** Tell the user. */
    record Notify(HostNotification notification) implements HubAction {}

    /**
     * A text from the VM crossed the one dom0 sent it (the VM sent it before it saw ours) and was not taken:
     * dom0 arbitrates, and the VM applies dom0's text. For the log: the size only.
     */
    record CrossedTextLost(String vm, long utf8Size) implements HubAction {}

    /** The VM's rate-limit pause began (with the reason) or ended (empty reason). */
    record PauseChanged(String vm, java.util.Optional<String> reason) implements HubAction {}
}
