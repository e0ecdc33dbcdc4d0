package org.xenclip.guest.device;

import java.util.ArrayList;
import java.util.List;

/**
 * The termios fields the agent changes, as plain numbers, and the rules for "raw enough for a binary
 * stream" (protocol.md section 1). Pure: the native struct is read and written by {@link RawTty}.
 *
 * <p>Bit values are Linux's (asm-generic termbits, the same on x86-64 and arm64, the architectures Xen
 * guests run on).
 */
record TermiosFlags(int iflag, int oflag, int cflag, int lflag, int vmin, int vtime) {

    // c_iflag
    static final int IGNBRK = 0000001;
    static final int BRKINT = 0000002;
    static final int PARMRK = 0000010;
    static final int ISTRIP = 0000040;
    static final int INLCR = 0000100;
    static final int IGNCR = 0000200;
    static final int ICRNL = 0000400;
    static final int IXON = 0002000;
    static final int IXOFF = 0010000;
    // c_oflag
    static final int OPOST = 0000001;
    // c_cflag
    static final int CSIZE = 0000060;
    static final int CS8 = 0000060;
    static final int CREAD = 0000200;
    static final int PARENB = 0000400;
    static final int CLOCAL = 0004000;
    // c_lflag
    static final int ISIG = 0000001;
    static final int ICANON = 0000002;
    static final int ECHO = 0000010;
    static final int ECHONL = 0000100;
    static final int IEXTEN = 0100000;

    /** Input bits cfmakeraw clears, plus IXOFF: a 0x13 we send must not mean "stop" to anyone. */
    static final int INPUT_OFF = IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF;
    /** Local bits cfmakeraw clears: no echo, no line editing, no signals from 0x03. */
    static final int LOCAL_OFF = ECHO | ECHONL | ICANON | ISIG | IEXTEN;

    /**
     * cfmakeraw's changes plus the profile's: -IXOFF, CLOCAL (no modem lines on a virtual console),
     * VMIN=1 and VTIME=0 (a read returns as soon as one byte is there). Applying this to flags that
     * libc's cfmakeraw already processed changes nothing but the extras.
     */
    TermiosFlags makeRaw() {
        return new TermiosFlags(
                iflag & ~INPUT_OFF,
                oflag & ~OPOST,
                (cflag & ~(CSIZE | PARENB)) | CS8 | CLOCAL | CREAD,
                lflag & ~LOCAL_OFF,
                1,
                0);
    }

    /**
     * What differs from raw, one entry per field, each naming the field, the value read back and what was
     * wanted. Empty when the terminal is raw.
     */
    List<String> rawProblems() {
        List<String> problems = new ArrayList<>();
        if ((iflag & INPUT_OFF) != 0) {
            problems.add(String.format("c_iflag 0%o still has bits 0%o set", iflag, iflag & INPUT_OFF));
        }
        if ((oflag & OPOST) != 0) {
            problems.add(String.format("c_oflag 0%o still has OPOST set", oflag));
        }
        if ((cflag & CSIZE) != CS8 || (cflag & PARENB) != 0 || (cflag & CLOCAL) == 0) {
            problems.add(String.format("c_cflag 0%o is not CS8, -PARENB, CLOCAL", cflag));
        }
        if ((lflag & LOCAL_OFF) != 0) {
            problems.add(String.format("c_lflag 0%o still has bits 0%o set", lflag, lflag & LOCAL_OFF));
        }
        if (vmin != 1 || vtime != 0) {
            problems.add("VMIN " + vmin + " VTIME " + vtime + " (want VMIN 1 VTIME 0)");
        }
        return problems;
    }

    @Override
    public String toString() {
        return String.format(
                "termios[iflag 0%o oflag 0%o cflag 0%o lflag 0%o VMIN %d VTIME %d]",
                iflag, oflag, cflag, lflag, vmin, vtime);
    }
}
