package org.xenclip.channelsim;

/**
 * A snapshot of a channel's state and counters. Counters add up over reboots; the buffered
 * amounts and flags describe the running "VM".
 *
 * @param bytesToGuest bytes written into the pseudo-terminal for the agent
 * @param bytesToDom0 bytes written to dom0 clients
 * @param largestChunkToGuest the largest single write into the pseudo-terminal (at most 1024)
 * @param largestChunkToDom0 the largest single write to a dom0 client (at most 2048)
 * @param ringToGuest bytes waiting in the dom0-to-guest ring
 * @param ringToDom0 bytes waiting in the guest-to-dom0 ring
 * @param backlogToDom0 guest output held while no dom0 client is connected (at most 1 MiB)
 * @param droppedToDom0 guest output dropped because the backlog was full
 * @param clientsAccepted dom0 connections accepted
 * @param clientConnected whether a dom0 client is being served now
 * @param deviceOpen whether the agent has the device open now
 * @param boots 1 plus the number of reboots
 */
public record ChannelStats(
        long bytesToGuest,
        long bytesToDom0,
        int largestChunkToGuest,
        int largestChunkToDom0,
        int ringToGuest,
        int ringToDom0,
        int backlogToDom0,
        long droppedToDom0,
        long clientsAccepted,
        boolean clientConnected,
        boolean deviceOpen,
        int boots) {

    /** Bytes delivered in one direction. */
    public long delivered(Direction direction) {
        return direction == Direction.TO_GUEST ? bytesToGuest : bytesToDom0;
    }

    /** Bytes waiting in one direction's ring. */
    public int inRing(Direction direction) {
        return direction == Direction.TO_GUEST ? ringToGuest : ringToDom0;
    }

    /** The largest chunk delivered in one direction. */
    public int largestChunk(Direction direction) {
        return direction == Direction.TO_GUEST ? largestChunkToGuest : largestChunkToDom0;
    }
}
