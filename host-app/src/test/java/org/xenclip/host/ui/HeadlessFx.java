package org.xenclip.host.ui;

/**
 * Runs JavaFX tests on Monocle's headless platform with TestFX's glass robot, so they need no X
 * server. Each FX test class calls {@link #configure()} from a static initialiser, before TestFX starts
 * the toolkit; the properties are the ones the toolkit reads once at start. AWT is left alone: the
 * engine tests in the same JVM use the real AWT clipboard under Xvfb.
 */
final class HeadlessFx {

    private HeadlessFx() {}

    static void configure() {
        System.setProperty("testfx.robot", "glass");
        System.setProperty("testfx.headless", "true");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
    }
}
