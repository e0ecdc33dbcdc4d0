package org.xenclip.host.ui;

import java.time.Clock;
import java.time.Instant;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.xenclip.host.vm.HostNotification;

/** The notifications the window lists, newest first, at most {@link #KEPT}. FX thread only. */
final class Notifications {

    /** Older notifications fall off: the window is a recent history, not a log file. */
    static final int KEPT = 50;

    record Entry(Instant at, HostNotification notification) {}

    private final ObservableList<Entry> entries = FXCollections.observableArrayList();
    private final Clock clock;

    Notifications(Clock clock) {
        this.clock = clock;
    }

    ObservableList<Entry> entries() {
        return entries;
    }

    void add(HostNotification notification) {
        FxThread.check();
        entries.add(0, new Entry(clock.instant(), notification));
        if (entries.size() > KEPT) {
            entries.remove(KEPT, entries.size());
        }
    }

    static String summary(HostNotification notification) {
        String vm = notification.vmName() == null ? "" : notification.vmName();
        return switch (notification.kind()) {
            case NEW_VM -> "New VM " + vm;
            case OVERSIZE -> "Text from " + vm + " too large";
            case RATE_LIMITED -> vm + " paused: clipboard changing too fast";
            case ERROR -> vm.isEmpty() ? "Error" : "Problem with " + vm;
        };
    }
}
