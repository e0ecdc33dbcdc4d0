package org.xenclip.host.connection;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.xenclip.host.vm.VmState;
import org.xenclip.protocol.SessionConfig;

/**
 * Run in a child JVM as an unprivileged user by {@link ConnectFailureTest}: connects a {@link VmConnection}
 * to the socket named in {@code args[0]} and prints the first reason it reports.
 */
public final class ConnectProbe {

    private ConnectProbe() {}

    public static void main(String[] args) throws Exception {
        AtomicReference<String> reason = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        VmConnection c = new VmConnection(
                "probe", Path.of(args[0]), SessionConfig.defaults(), true, ConnectionTiming.defaults(), ev -> {
                    if (ev instanceof ConnectionEvent.StateChanged s
                            && s.reason().isPresent()
                            && s.state() != VmState.OFF) {
                        reason.compareAndSet(null, s.state() + ": " + s.reason().get());
                        done.countDown();
                    }
                });
        c.start();
        boolean told = done.await(20, TimeUnit.SECONDS);
        c.close();
        System.out.println(told ? reason.get() : "no reason within 20 s");
    }
}
