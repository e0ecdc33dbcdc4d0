package org.xenclip.guest.device;

/**
 * Spots modem probing on the channel: software that takes every serial-looking port for a modem (most
 * often ModemManager) writes commands like {@code AT\r} into it, and a cooked peer reflects them back.
 * Pure; fed the bytes the agent discards while it scans for a version (protocol.md 5.1).
 */
public final class AtNoiseDetector {

    /** Longest AT command we track; a longer run of letters is not modem probing. */
    private static final int MAX_COMMAND = 32;

    private enum State {
        START,
        A,
        IN_COMMAND
    }

    private State state = State.START;
    private int length;
    private int previous = '\n';
    private long seen;

    /** Feeds bytes; returns how many complete {@code AT...\r} commands they finished. */
    public int feed(byte[] data, int offset, int count) {
        int found = 0;
        for (int i = offset; i < offset + count; i++) {
            int b = data[i] & 0xff;
            switch (state) {
                case START -> state = startsCommand(b) ? State.A : State.START;
                case A -> {
                    if (b == 'T' || b == 't') {
                        state = State.IN_COMMAND;
                        length = 0;
                    } else {
                        state = startsCommand(b) ? State.A : State.START;
                    }
                }
                case IN_COMMAND -> {
                    // CR ends a command; a cooked tty's ICRNL turns it into LF on the way in
                    if (b == '\r' || b == '\n') {
                        found++;
                        state = State.START;
                    } else if (isCommandChar(b) && ++length <= MAX_COMMAND) {
                        state = State.IN_COMMAND;
                    } else {
                        state = startsCommand(b) ? State.A : State.START;
                    }
                }
            }
            previous = b;
        }
        seen += found;
        return found;
    }

    /** An A that does not continue a word ("DATA\r" is no probe). */
    private boolean startsCommand(int b) {
        return (b == 'A' || b == 'a') && !Character.isLetterOrDigit(previous);
    }

    /** What follows AT in a Hayes command: letters, digits and the few symbols the syntax uses. */
    private static boolean isCommandChar(int b) {
        return Character.isLetterOrDigit(b) || "+&=?;%#$^*,.-\"".indexOf(b) >= 0;
    }

    /** Total commands seen so far. */
    public long seen() {
        return seen;
    }

    /** The log line naming the likely culprit and the fix. */
    public static String advice(String device) {
        return "AT-command noise (\"AT\\r\") on " + device + ": a modem prober is writing to the channel, most"
                + " likely ModemManager. Install the udev rule 90-xenclip-channel.rules (it sets"
                + " ID_MM_DEVICE_IGNORE=1) or disable it: systemctl disable --now ModemManager";
    }
}
