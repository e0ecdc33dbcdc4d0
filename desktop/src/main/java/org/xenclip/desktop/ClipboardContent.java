package org.xenclip.desktop;

/**
 * Text read from the desktop clipboard, as the desktop had it (its own line ends), and whether the owner
 * marked it secret (a password manager's {@code x-kde-passwordManagerHint: secret}).
 */
public record ClipboardContent(String text, boolean secret) {}
