/**
 * JMH benchmarks of the protocol module, compiled only with the {@code bench} Maven profile and run by
 * {@code scripts/bench-protocol.sh}. Each benchmark state belongs to one JMH worker thread.
 */
package org.xenclip.protocol.bench;
