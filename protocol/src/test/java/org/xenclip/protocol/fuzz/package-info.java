/**
 * Jazzer fuzz test of both session roles: arbitrary bytes and ticks must yield only clean outcomes (events,
 * never exceptions), within the configured limits, without the owner's loop spinning. Seeds live in
 * {@code src/test/resources/org/xenclip/protocol/fuzz/SessionFuzzTestInputs/}. Runs on the test thread (or
 * Jazzer's fuzzing thread), one execution at a time.
 */
package org.xenclip.protocol.fuzz;
