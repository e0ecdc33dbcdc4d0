package org.xenclip.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xenclip.desktop.ClipboardContent;

class GuestClipboardTest {

    private static final Duration T = Duration.ofSeconds(1);

    @Test
    void startsEmptyWithNoOrigin() {
        GuestClipboard clipboard = new GuestClipboard();
        assertThat(clipboard.read(T)).isEmpty();
        assertThat(clipboard.state().origin()).isEqualTo(GuestClipboard.Origin.NONE);
    }

    @Test
    void theVmUsersCopyIsReadByTheAgentAndToldToItsWatcher() {
        GuestClipboard clipboard = new GuestClipboard();
        AtomicInteger agentEvents = new AtomicInteger();
        clipboard.watch(agentEvents::incrementAndGet);

        clipboard.copyAsVmUser("שלום 😀");

        assertThat(clipboard.read(T)).contains(new ClipboardContent("שלום 😀", false));
        assertThat(clipboard.state().origin()).isEqualTo(GuestClipboard.Origin.VM_USER);
        assertThat(agentEvents).hasValue(1);
    }

    @Test
    void theAgentsWriteIsShownAsFromDom0AndStillReportedToWatchers() {
        GuestClipboard clipboard = new GuestClipboard();
        AtomicInteger agentEvents = new AtomicInteger();
        List<GuestClipboard.State> seen = new ArrayList<>();
        clipboard.watch(agentEvents::incrementAndGet);
        clipboard.view(seen::add);

        clipboard.write("你好", T);

        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.text()).contains("你好");
            assertThat(s.origin()).isEqualTo(GuestClipboard.Origin.DOM0);
        });
        // the backend contract: our own writes are change events too (the agent tells them apart)
        assertThat(agentEvents).hasValue(1);
    }

    @Test
    void stateToStringNeverShowsTheText() {
        GuestClipboard clipboard = new GuestClipboard();
        clipboard.copyAsVmUser("secret words");
        assertThat(clipboard.state().toString()).doesNotContain("secret").contains("12 chars");
    }

    @Test
    void afterCloseWritesAreIgnoredAndNobodyIsCalled() {
        GuestClipboard clipboard = new GuestClipboard();
        AtomicInteger events = new AtomicInteger();
        clipboard.watch(events::incrementAndGet);
        clipboard.close();

        clipboard.write("late text from dom0", T);

        assertThat(clipboard.read(T)).isEmpty();
        assertThat(events).hasValue(0);
    }
}
