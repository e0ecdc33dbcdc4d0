package org.xenclip.guest.device;

/** The channel device could not be found, opened or made raw; {@link #kind()} picks the exit code. */
public final class DeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Each failure the user can fix differently gets its own exit code (documented in guest-agent.md). */
    public enum Kind {
        NO_SUCH_DEVICE(3),
        PERMISSION_DENIED(4),
        NOT_A_TTY(5),
        TERMINAL_SETUP_FAILED(6),
        NATIVE_UNAVAILABLE(7),
        BUSY(8);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;

    public DeviceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DeviceException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
