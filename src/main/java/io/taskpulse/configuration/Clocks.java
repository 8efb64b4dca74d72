package io.taskpulse.configuration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The one clock that runs and schedules read: when a run started and ended, when a task is expected, when it is
 * overdue or timed out. Tests deploy an alternative they can set (it/SettableClock), so that a schedule test runs in
 * seconds, not hours. (Database triggers stamp {@code changed_at} with the database's own clock; that one is not
 * TaskPulse's to set.)
 * (A bean-defining annotation is needed for the producer to be found at all: beans.xml discovers annotated beans
 * only. The ITs' deployment, which adds the settable clock, would not notice if it were missing; the real WAR would
 * not deploy. TwoNodesIT and the other MicroNode tests run the real WAR.)
 */
@ApplicationScoped
public class Clocks {

    @Produces
    Clock clock() {
        return Clock.systemUTC();
    }
}
