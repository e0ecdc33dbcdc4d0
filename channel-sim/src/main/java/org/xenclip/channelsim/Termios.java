package org.xenclip.channelsim;

import java.io.IOException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * glibc's {@code struct termios} in native memory, with the fields the simulator and its tests
 * read or set. Layout (Linux, glibc): four 32-bit flag words, {@code c_line}, 32 control
 * characters, then the two speeds.
 */
final class Termios {
    private static final int IFLAG = 0;
    private static final int OFLAG = 4;
    private static final int CFLAG = 8;
    private static final int LFLAG = 12;
    private static final int CC = 17;
    private static final int ISPEED = 52;
    private static final int OSPEED = 56;
    // sizeof(struct termios) is 60 with glibc; room to spare costs nothing.
    private static final int SIZE = 128;

    // c_iflag
    static final int IXON = 0x400;
    static final int ICRNL = 0x100;
    static final int IXOFF = 0x1000;
    // c_oflag
    static final int OPOST = 0x1;
    static final int ONLCR = 0x4;
    // c_cflag
    static final int B38400 = 0xf;
    static final int CS8 = 0x30;
    static final int CREAD = 0x80;
    static final int HUPCL = 0x400;
    static final int CLOCAL = 0x800;
    // c_lflag
    static final int ISIG = 0x1;
    static final int ICANON = 0x2;
    static final int ECHO = 0x8;
    static final int ECHOE = 0x10;
    static final int ECHOK = 0x20;
    static final int ECHOCTL = 0x200;
    static final int ECHOKE = 0x800;
    static final int IEXTEN = 0x8000;
    // c_cc indexes
    static final int VTIME = 5;
    static final int VMIN = 6;

    /**
     * The kernel's {@code tty_std_termios} control characters, which hvc starts every console
     * with: ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, -, ^Q ^S ^Z, -, ^R ^O ^W ^V.
     */
    private static final byte[] STD_CC = {
        3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0,
    };

    private final Pointer memory;

    private Termios() {
        memory = Memory.allocateDirect(Libc.runtime(), SIZE, true);
    }

    /**
     * The settings a hvc console has after boot and after its last close: the kernel's standard
     * cooked termios (echo, canonical lines, CR to NL on input, NL to CRNL on output, signals,
     * XON/XOFF flow control). See protocol.md section 1.
     */
    static Termios hvcDefaults() {
        Termios t = new Termios();
        t.memory.putInt(IFLAG, ICRNL | IXON);
        t.memory.putInt(OFLAG, OPOST | ONLCR);
        t.memory.putInt(CFLAG, B38400 | CS8 | CREAD | HUPCL);
        t.memory.putInt(LFLAG, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
        t.memory.put(CC, STD_CC, 0, STD_CC.length);
        t.memory.putInt(ISPEED, B38400);
        t.memory.putInt(OSPEED, B38400);
        return t;
    }

    /** Reads the settings of the terminal open on {@code fd}. */
    static Termios read(int fd, Object subject) throws IOException {
        Termios t = new Termios();
        if (Libc.api().tcgetattr(fd, t.memory) != 0) {
            throw new IOException(Libc.describe("tcgetattr", subject, Libc.errno()));
        }
        return t;
    }

    /** Applies these settings now to the terminal open on {@code fd}. */
    void apply(int fd, Object subject) throws IOException {
        if (Libc.api().tcsetattr(fd, Libc.TCSANOW, memory) != 0) {
            throw new IOException(Libc.describe("tcsetattr", subject, Libc.errno()));
        }
    }

    /** What a guest agent does to its device: cfmakeraw, no XON/XOFF, CLOCAL, VMIN 1, VTIME 0. */
    Termios makeRaw() {
        Libc.api().cfmakeraw(memory);
        memory.putInt(IFLAG, memory.getInt(IFLAG) & ~(IXON | IXOFF));
        memory.putInt(CFLAG, memory.getInt(CFLAG) | CLOCAL);
        memory.putByte(CC + VMIN, (byte) 1);
        memory.putByte(CC + VTIME, (byte) 0);
        return this;
    }

    int inputFlags() {
        return memory.getInt(IFLAG);
    }

    int outputFlags() {
        return memory.getInt(OFLAG);
    }

    int controlFlags() {
        return memory.getInt(CFLAG);
    }

    int localFlags() {
        return memory.getInt(LFLAG);
    }
}
