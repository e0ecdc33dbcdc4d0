/**
 * The xenclip icons: the application icon and the tray icon of each {@link
 * org.xenclip.icons.Icons.TrayState}, rendered from the SVG sources in {@code icons/src/main/svg} by
 * {@code scripts/render-icons.sh} and shipped as classpath resources under {@code
 * org/xenclip/icons/<size>/<name>.png} (plus {@code scalable/<name>.svg}).
 *
 * <p>{@link org.xenclip.icons.Icons} is the one place both apps load them from. It holds no state, so
 * any thread may call it.
 */
package org.xenclip.icons;
