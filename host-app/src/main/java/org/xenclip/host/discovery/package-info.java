/**
 * Finding the VMs that have the clipboard channel: XenStore (backend console entries whose name is our
 * channel and whose connection is a socket), a directory watched for {@code *.sock}, and explicit entries
 * from the command line and the config file, merged by {@link org.xenclip.host.discovery.VmDirectory}.
 *
 * <p>Threads: {@code discovery-socket-dir} blocks on the directory's watch service; {@code discovery-xenstore}
 * reads {@code xenstore-watch}'s output and rescans. Both hand complete snapshots to the directory, which
 * merges under a lock and calls its listener on the reporting thread.
 */
package org.xenclip.host.discovery;
