package io.taskpulse.changes.control;

import java.time.Duration;
import java.time.Instant;

/**
 * When the poller may touch the database again after failed polls. The first retry comes one poll interval
 * after the failed attempt, and each further failure doubles the wait, up to the cap
 * ({@code taskpulse.poll.backoff.max}, 30 s by default): a database that is down gets a handful of
 * connection attempts a minute from each server, not one per interval, and a server learns it is back within
 * one cap. A success ends the backoff at once; the cursor is untouched, so polling resumes where it stopped.
 * <p>
 * The poller's ticks keep coming every interval during a backoff; {@link #due} just says no to those that come
 * too early, so "due" allows half an interval of slack for a tick that comes a moment before its time. A
 * committed write of TaskPulse's own proves the database answers: it brings the next attempt forward, but never
 * closer than one interval after the last one, so a stream of writes cannot turn the backoff into a tight loop.
 * Thread-safe: the poller thread and the writers' threads share it.
 */
final class PollBackoff {

    private final Duration interval;
    private final Duration cap;
    private int failures;
    private Instant lastAttempt = Instant.MIN;
    private Instant retryAt = Instant.MIN;

    PollBackoff(Duration interval, Duration cap) {
        this.interval = interval;
        this.cap = cap.compareTo(interval) < 0 ? interval : cap;
    }

    /** The wait after this many failures in a row: the interval, doubled per further failure, at most the cap. */
    Duration delayAfter(int failuresInARow) {
        Duration delay = interval;
        for (int i = 1; i < failuresInARow && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    /** Whether a poll at {@code now} may go to the database. */
    synchronized boolean due(Instant now) {
        return failures == 0 || !now.plus(interval.dividedBy(2)).isBefore(retryAt);
    }

    /**
     * A poll that started at {@code attempt} failed.
     *
     * @return the wait before the next attempt
     */
    synchronized Duration failed(Instant attempt) {
        failures++;
        Duration delay = delayAfter(failures);
        lastAttempt = attempt;
        retryAt = attempt.plus(delay);
        return delay;
    }

    /**
     * A poll succeeded: back to every interval.
     *
     * @return how many polls had failed in a row before it
     */
    synchronized int succeeded() {
        int before = failures;
        failures = 0;
        retryAt = Instant.MIN;
        return before;
    }

    /** TaskPulse committed a write, so the database answers: retry soon, but not sooner than an interval. */
    synchronized void databaseAnswered() {
        if (failures > 0) {
            Instant soonest = lastAttempt.plus(interval);
            if (soonest.isBefore(retryAt)) {
                retryAt = soonest;
            }
        }
    }

    /** When the next attempt may go to the database ({@link Instant#MIN} while polls succeed). */
    synchronized Instant retryAt() {
        return retryAt;
    }
}
