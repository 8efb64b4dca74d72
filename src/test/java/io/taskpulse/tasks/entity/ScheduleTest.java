package io.taskpulse.tasks.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void aPeriodCountsFromTheLastRun() {
        Schedule hourly = Schedule.of("PT1H", null, null);
        assertEquals(Instant.parse("2026-12-06T15:00:00Z"), hourly.next(Instant.parse("2026-12-06T14:00:00Z")));
        assertEquals(Schedule.DEFAULT_GRACE, hourly.grace());
    }

    @Test
    void cronFiresAtItsNextTimeInItsZoneAcrossDaylightSaving() {
        Schedule nightly = Schedule.of("0 2 * * *", "Europe/Berlin", "PT5M");
        // Berlin is UTC+1 in winter: 02:00 there is 01:00Z.
        assertEquals(Instant.parse("2026-12-07T01:00:00Z"), nightly.next(Instant.parse("2026-12-06T14:00:00Z")));
        // and UTC+2 in summer (the clocks went forward on 2026-03-29).
        assertEquals(Instant.parse("2026-03-30T00:00:00Z"), nightly.next(Instant.parse("2026-03-29T12:00:00Z")));
        assertEquals(Duration.ofMinutes(5), nightly.grace());
        assertEquals("Europe/Berlin", nightly.zoneId());
    }

    @Test
    void weekdaysOnlySkipsTheWeekend() {
        Schedule weekdays = Schedule.of("30 9 * * 1-5", null, null);
        // 2026-12-05 is a Saturday: next is Monday 09:30 UTC.
        assertEquals(Instant.parse("2026-12-07T09:30:00Z"), weekdays.next(Instant.parse("2026-12-05T10:00:00Z")));
    }

    @Test
    void anInvalidCronNamesTheFieldAtFault() {
        assertTrue(message(() -> Schedule.of("61 * * * *", null, null)).contains("minute field '61'"));
        assertTrue(message(() -> Schedule.of("0 2 * 13 *", null, null)).contains("month field '13'"));
        assertTrue(message(() -> Schedule.of("0 2 * * 9", null, null)).contains("day of week field '9'"));
        assertTrue(message(() -> Schedule.of("0 2 * *", null, null)).contains("5 fields"));
    }

    @Test
    void periodsUnderAMinuteNegativeGraceAndUnknownZonesAreRefused() {
        assertTrue(message(() -> Schedule.of("PT30S", null, null)).contains("from PT1M"));
        assertTrue(message(() -> Schedule.of("PT1H", null, "-PT5M")).contains("grace must be from PT0S"));
        assertTrue(message(() -> Schedule.of("0 2 * * *", "Mars/Olympus", null)).contains("not a time zone"));
        assertTrue(message(() -> Schedule.of("PT1H", "UTC", null)).contains("cron schedule only"));
        assertTrue(message(() -> Schedule.of("every hour", null, null)).contains("5 fields"));
        assertTrue(message(() -> Schedule.maxRuntime("PT10S")).contains("maxRuntime must be from PT1M"));
        assertTrue(message(() -> Schedule.maxRuntime("P8D")).contains("to PT168H"));
        assertTrue(message(() -> Schedule.maxRuntime("ten minutes")).contains("ISO 8601"));
    }

    @Test
    void aStoredScheduleComputesTheSameTimes() {
        Schedule stored = Schedule.stored("0 2 * * *", "Europe/Berlin", 300);
        assertEquals(Instant.parse("2026-12-07T01:00:00Z"), stored.next(Instant.parse("2026-12-06T14:00:00Z")));
        assertEquals(Duration.ofMinutes(5), stored.grace());
    }

    private static String message(Runnable call) {
        return assertThrows(TaskRejected.class, call::run).getMessage();
    }
}
