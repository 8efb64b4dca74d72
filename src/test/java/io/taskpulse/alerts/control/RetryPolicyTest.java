package io.taskpulse.alerts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.alerts.entity.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofHours(24));
    private final Instant occurred = Instant.parse("2026-12-06T03:00:00Z");

    @Test
    void serverErrorsAndTimeoutsBackOffExponentiallyWithJitterUpToTheCap() {
        Outcome error = Outcome.http(500, null);
        assertEquals(Optional.of(occurred.plusSeconds(10)), policy.next(1, error, occurred, occurred, 0));
        assertEquals(Optional.of(occurred.plusSeconds(5)), policy.next(1, error, occurred, occurred, 0.999999999).map(
                i -> Instant.ofEpochSecond(i.getEpochSecond())));
        assertEquals(Optional.of(occurred.plusSeconds(40)), policy.next(3, error, occurred, occurred, 0));
        assertEquals(Optional.of(occurred.plus(Duration.ofMinutes(10))), policy.next(30, error, occurred, occurred, 0));
        assertTrue(policy.next(2, Outcome.failed("connect timed out"), occurred, occurred, 0).isPresent());
        assertTrue(policy.next(2, Outcome.http(408, null), occurred, occurred, 0).isPresent());
    }

    @Test
    void clientErrorsOtherThan408And429AndRedirectsAreNotRetried() {
        assertTrue(policy.next(1, Outcome.http(400, null), occurred, occurred, 0).isEmpty());
        assertTrue(policy.next(1, Outcome.http(404, null), occurred, occurred, 0).isEmpty());
        assertTrue(policy.next(1, new Outcome(302, "redirect", null), occurred, occurred, 0).isEmpty());
    }

    @Test
    void tooManyRequestsWaitsWhatRetryAfterSays() {
        Outcome slowDown = Outcome.http(429, Duration.ofSeconds(120));
        assertEquals(Optional.of(occurred.plusSeconds(120)), policy.next(1, slowDown, occurred, occurred, 0.7));
        assertEquals(Duration.ofSeconds(7), RetryPolicy.retryAfter("7", occurred));
        assertEquals(Duration.ofSeconds(60), RetryPolicy.retryAfter("Sun, 06 Dec 2026 03:01:00 GMT", occurred));
    }

    @Test
    void aRetryAfterOfNothingStillWaitsTheBackoff() {
        // "Retry-After: 0" or a date in the past once meant: claim it again at once, as fast as the receiver answers.
        assertEquals(Optional.of(occurred.plusSeconds(10)), policy.next(1, Outcome.http(429, Duration.ZERO), occurred, occurred, 0));
        assertEquals(Optional.of(occurred.plusSeconds(20)), policy.next(2, Outcome.http(503, Duration.ofSeconds(1)), occurred, occurred, 0));
    }

    @Test
    void afterTheGiveUpTimeTheAlertFails() {
        Instant late = occurred.plus(Duration.ofHours(24)).minusSeconds(5);
        assertTrue(policy.next(40, Outcome.http(503, null), occurred, late, 0).isEmpty());
    }
}
