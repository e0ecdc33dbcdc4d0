package org.xenclip.guest.cli;

/** A bad command line; the message says which argument and why. Exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
