package org.xenclip.desktop;

/** Which X selection (or Wayland equivalent) a backend serves. */
public enum Selection {
    /** The explicit copy/paste clipboard (Ctrl+C / Ctrl+V). */
    CLIPBOARD,
    /** The select-to-copy, middle-click-to-paste selection; synced only with {@code --primary}. */
    PRIMARY;

    /** The name the X tools use ({@code xclip -selection}, {@code xsel --clipboard}). */
    public String xName() {
        return this == CLIPBOARD ? "clipboard" : "primary";
    }
}
