package io.taskpulse.changes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PollBackoffTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private final PollBackoff backoff = new PollBackoff(INTERVAL, Duration.ofSeconds(30));

    @Test
    void waitDoublesFromThePollIntervalUpToTheCap() {
        List<Long> seconds = IntStream.rangeClosed(1, 8).mapToObj(backoff::delayAfter).map(Duration::toSeconds).toList();

        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
        assertEquals(Duration.ofSeconds(30), backoff.delayAfter(Integer.MAX_VALUE));
    }

    @Test
    void capBelowTheIntervalMeansEveryInterval() {
        PollBackoff tight = new PollBackoff(INTERVAL, Duration.ofMillis(100));

        assertEquals(INTERVAL, tight.delayAfter(5));
    }

    @Test
    void everyTickIsDueWhilePollsSucceed() {
        assertTrue(backoff.due(T0));
        assertTrue(backoff.due(T0.plusMillis(1)));
    }

    @Test
    void afterFailuresTicksBeforeTheRetryTimeAreNotDue() {
        backoff.failed(T0);
        backoff.failed(T0.plusSeconds(1));
        Duration third = backoff.failed(T0.plusSeconds(3));

        assertEquals(Duration.ofSeconds(4), third);
        assertFalse(backoff.due(T0.plusSeconds(4)));
        assertFalse(backoff.due(T0.plusSeconds(6)));
        assertTrue(backoff.due(T0.plusSeconds(7)));
        // A tick a moment early still counts: ticks come every interval, not exactly on the retry time.
        assertTrue(backoff.due(T0.plusSeconds(7).minusMillis(20)));
    }

    @Test
    void successEndsTheBackoffAndStartsTheNextOutageFromOneInterval() {
        backoff.failed(T0);
        backoff.failed(T0.plusSeconds(1));

        assertEquals(2, backoff.succeeded());
        assertTrue(backoff.due(T0.plusSeconds(2)));
        assertEquals(INTERVAL, backoff.failed(T0.plusSeconds(10)));
    }

    @Test
    void committedWriteBringsTheRetryForwardButNotCloserThanAnIntervalAfterTheLastAttempt() {
        for (int i = 0; i < 5; i++) {
            backoff.failed(T0);
        }
        assertFalse(backoff.due(T0.plusSeconds(10)));

        backoff.databaseAnswered();
        backoff.databaseAnswered();

        assertFalse(backoff.due(T0.plusMillis(400)), "a burst of writes does not make a tight loop");
        assertTrue(backoff.due(T0.plus(INTERVAL)));
    }

    @Test
    void committedWriteChangesNothingWhilePollsSucceed() {
        backoff.databaseAnswered();

        assertTrue(backoff.due(T0));
        assertEquals(0, backoff.succeeded());
    }
}
