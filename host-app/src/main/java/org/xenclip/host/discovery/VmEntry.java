package org.xenclip.host.discovery;

import java.nio.file.Path;
import java.util.Objects;

/** A VM with a clipboard channel: its name, the socket QEMU listens on, and where we found it. */
public record VmEntry(String name, Path socketPath, Source source) {

    /** Where a VM was found. When several sources name the same VM, the earlier constant wins. */
    public enum Source {
        CONFIG("config"),
        XENSTORE("xenstore"),
        SOCKET_DIR("socket-dir");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        /** The word {@link org.xenclip.host.vm.VmStatus#source()} uses. */
        public String label() {
            return label;
        }
    }

    public VmEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(socketPath, "socketPath");
        Objects.requireNonNull(source, "source");
    }
}
