package org.xenclip.host.settings;

/** A settings file that cannot be read as settings; the message names the file, the key and the value. */
public final class SettingsException extends Exception {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
