package io.taskpulse.alerts.control;

import io.taskpulse.alerts.entity.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed delivery is tried again. A 4xx other than 408 and 429 is not retried (nor a redirect: they are not
 * followed). A 429 (or 503) with Retry-After waits what the receiver asked. Otherwise attempt n waits
 * {@code initial × 2^(n-1)}, at most {@code max}, of which a random half is taken off (jitter: receivers that come
 * back are not hit by every server at once). No attempt is planned later than {@code giveUpAfter} after the
 * transition: then the alert is FAILED. Defaults 10 s, 10 min, 24 h: attempts at about 10 s, 30 s, 1 min, 2.5 min,
 * 5 min, 10 min and then every 10 minutes for a day.
 */
public record RetryPolicy(Duration initial, Duration max, Duration giveUpAfter) {

    /**
     * @param attempts how many attempts were made, this one included
     * @param random   a number in [0, 1): the jitter
     * @return when to try again, or empty to give up
     */
    public Optional<Instant> next(int attempts, Outcome outcome, Instant occurredAt, Instant now, double random) {
        if (outcome.permanent() || (outcome.status() >= 300 && outcome.status() < 400)) {
            return Optional.empty();
        }
        Duration full = initial.multipliedBy(1L << Math.min(30, Math.max(0, attempts - 1)));
        if (full.compareTo(max) > 0 || full.isNegative()) {
            full = max;
        }
        Duration wait = full.minus(Duration.ofNanos((long) (full.toNanos() / 2.0 * random)));
        if (outcome.retryAfter() != null && (outcome.status() == 429 || outcome.status() == 503)
                && outcome.retryAfter().compareTo(wait) > 0) {
            // The receiver's wish, but never sooner than the backoff: "Retry-After: 0" (or a date in the past) must
            // not turn into a resend as fast as it answers, for a day.
            wait = outcome.retryAfter();
        }
        Instant at = now.plus(wait);
        return at.isAfter(occurredAt.plus(giveUpAfter)) ? Optional.empty() : Optional.of(at);
    }

    /** A Retry-After header: seconds, or an HTTP date; null when absent or unreadable. */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.strip();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, Duration.ofDays(2).toSeconds()));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = java.time.ZonedDateTime.parse(value, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
    }
}
