/**
 * The {@code xenclip-guest} command: flags, logging to stderr, start-up and exit codes. Runs on the main
 * thread, which hands over to the agent's threads and then waits.
 */
package org.xenclip.guest.cli;
