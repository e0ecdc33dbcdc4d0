package org.xenclip.channelsim;

/** Which way bytes travel through the channel. */
public enum Direction {
    /** dom0 to guest: from the socket's client into the pseudo-terminal. */
    TO_GUEST("guest", 1024),
    /** guest to dom0: from the pseudo-terminal to the socket's client. */
    TO_DOM0("dom0", 2048);

    private final String word;
    private final int ringBytes;

    Direction(String word, int ringBytes) {
        this.word = word;
        this.ringBytes = ringBytes;
    }

    /**
     * The size of this direction's ring in the console's shared page (protocol.md section 1: 1024
     * bytes dom0 to guest, 2048 guest to dom0), hence the largest chunk moved at once.
     */
    public int ringBytes() {
        return ringBytes;
    }

    /** The word the CLI uses: {@code guest} or {@code dom0}, naming where the bytes go. */
    public String word() {
        return word;
    }

    /**
     * Parses a CLI word.
     *
     * @throws IllegalArgumentException naming the word and the accepted ones
     */
    public static Direction fromWord(String word) {
        for (Direction d : values()) {
            if (d.word.equals(word)) {
                return d;
            }
        }
        throw new IllegalArgumentException("direction '" + word + "' is not one of: guest, dom0");
    }
}
