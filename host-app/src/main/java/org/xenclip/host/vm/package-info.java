/**
 * The VMs the host app knows and their sync modes, as an immutable status model the UI binds to.
 *
 * <p>{@link org.xenclip.host.vm.VmStatus} snapshots are immutable and may cross threads; the engine
 * behind {@link org.xenclip.host.vm.HostModel} owns the mutable state.
 */
package org.xenclip.host.vm;
