/**
 * The test kit other modules' tests use too (published as this module's test-jar): a real Xvfb server
 * ({@link org.xenclip.desktop.testing.XvfbServer}) and the user's clipboard tools driven as processes
 * ({@link org.xenclip.desktop.testing.XClip}). Objects here are used from the test thread; each setter process
 * belongs to the {@code XClip} that started it and dies with it.
 */
package org.xenclip.desktop.testing;
