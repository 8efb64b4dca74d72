package io.taskpulse.alerts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskpulse.configuration.Settings;
import io.taskpulse.metrics.control.Metrics;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatcherTest {

    /**
     * The lost wake-up: alerts are queued and the dispatcher woken while a round is finishing, after it looked at the
     * outbox and before it planned its next look. The next tick must look again; before the fix the round planned
     * "nothing due", and the alert waited for the 30 s safety round (AlertsIT, twice in a CI preview under load).
     */
    @Test
    void aWakeUpThatArrivesWhileARoundPlansItsNextLookIsNotLost() {
        Dispatcher dispatcher = new Dispatcher();
        AtomicInteger looks = new AtomicInteger();
        dispatcher.outbox = new Outbox() {
            @Override
            public Claimed claimOne(Instant now, String claim) {
                looks.incrementAndGet();
                return null;
            }

            @Override
            public Backlog backlog() {
                if (looks.get() == 1) {
                    dispatcher.wake(); // another thread's commit queued an alert just now
                }
                return new Backlog(0, null);
            }
        };
        dispatcher.settings = new Settings();
        dispatcher.metrics = new Metrics();
        // The woken round is queued on the container's executor; here it never runs, as when it found the round busy.
        dispatcher.scheduler = (ManagedScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{ManagedScheduledExecutorService.class}, (proxy, method, args) -> null);

        dispatcher.round();
        assertEquals(1, looks.get());
        dispatcher.tick();
        assertEquals(2, looks.get(), "the tick after the wake-up looked at the outbox");
        dispatcher.tick();
        assertEquals(2, looks.get(), "with nothing due and no wake-up, a tick costs no statement");
    }
}
