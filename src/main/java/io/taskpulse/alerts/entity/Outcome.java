package io.taskpulse.alerts.entity;

import java.time.Duration;

/**
 * How one delivery attempt ended: an HTTP status (0 when there was none: a timeout, a refused connection, an SMTP
 * error), an error in words, and the receiver's Retry-After if it sent one.
 */
public record Outcome(int status, String error, Duration retryAfter) {

    public static Outcome http(int status, Duration retryAfter) {
        return new Outcome(status, status >= 200 && status < 300 ? null : "HTTP " + status, retryAfter);
    }

    public static Outcome failed(String error) {
        return new Outcome(0, error, null);
    }

    public static Outcome delivered() {
        return new Outcome(0, null, null);
    }

    /** Confirmed: 2xx, or a mail server that took the message. */
    public boolean confirmed() {
        return error == null;
    }

    /** Not worth another attempt: a 4xx other than 408 and 429 (the receiver says the request itself is wrong). */
    public boolean permanent() {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }
}
