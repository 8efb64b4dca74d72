package io.taskpulse.configuration;

import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The one clock that runs and schedules read: when a run started and ended, when a task is expected, when it is
 * overdue or timed out. Tests deploy an alternative they can set (it/SettableClock), so that a schedule test runs in
 * seconds, not hours. (Database triggers stamp {@code changed_at} with the database's own clock; that one is not
 * TaskPulse's to set.)
 */
public class Clocks {

    @Produces
    Clock clock() {
        return Clock.systemUTC();
    }
}
