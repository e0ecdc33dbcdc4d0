/**
 * The user's settings: one immutable {@link org.xenclip.host.settings.Settings} value, read from and saved
 * to {@code $XDG_CONFIG_HOME/xenclip/settings.properties}.
 *
 * <p>Threads: {@link org.xenclip.host.settings.SettingsStore} is thread-safe; it holds the current value in
 * an atomic reference and writes the file on its own daemon thread ({@code settings-save}) after a short
 * debounce, through a temporary file moved atomically into place.
 */
package org.xenclip.host.settings;
