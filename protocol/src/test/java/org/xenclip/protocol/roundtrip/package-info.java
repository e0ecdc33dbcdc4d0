/**
 * Property-based round trips (jqwik): clipboard text of any kind sent by either session arrives at its peer
 * as protocol.md says, however the byte stream is split and however slowly it flows. {@link
 * org.xenclip.protocol.roundtrip.SessionPair} wires two sessions back to back with a fake clock; the fuzz
 * test and the benchmarks reuse it. Everything here runs on the test thread that creates it.
 */
package org.xenclip.protocol.roundtrip;
