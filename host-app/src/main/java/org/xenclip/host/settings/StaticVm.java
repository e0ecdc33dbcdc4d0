package org.xenclip.host.settings;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.xenclip.host.vm.SyncMode;

/**
 * A VM named explicitly (command line {@code --vm NAME=PATH[,mode=MODE]} or the config file) rather than
 * found in XenStore or the socket directory.
 */
public record StaticVm(String name, Path socketPath, Optional<SyncMode> mode) {

    public StaticVm {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(socketPath, "socketPath");
        Objects.requireNonNull(mode, "mode");
        VmNames.check(name);
    }
}
