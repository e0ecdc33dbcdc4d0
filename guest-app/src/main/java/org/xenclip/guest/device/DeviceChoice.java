package org.xenclip.guest.device;

import java.nio.file.Path;

/** The device the agent will open and why it was chosen (logged at start). */
public record DeviceChoice(Path path, String reason) {}
