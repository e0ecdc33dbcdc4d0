/**
 * A stand-in for a Xen PV channel, for tests and the demo: {@link
 * org.xenclip.channelsim.SimulatedChannel} joins a QEMU-like listening Unix socket (dom0's side) to
 * an hvc-like pseudo-terminal (the guest's side) through two bounded rings, and injects faults on
 * command. {@link org.xenclip.channelsim.ChannelSimulatorMain} runs one from the command line.
 *
 * <p>Threads (daemon, per channel and boot): {@code sim-<name>-dom0-accept} owns the listening
 * socket and the current client's input; {@code sim-<name>-dom0-write} owns writing to that client
 * and the backlog kept while none is connected; {@code sim-<name>-guest-io} owns the pty master and
 * the wake pipe's read end. The rings, flags and client reference are shared under one lock in
 * {@code VmBoot}, never held across blocking I/O. The public methods may be called from any thread.
 */
package org.xenclip.channelsim;
