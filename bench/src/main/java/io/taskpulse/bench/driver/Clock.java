package io.taskpulse.bench.driver;

import java.time.Instant;

/** Wall-clock microseconds: the writer stamps with it and the clients read it in the same JVM. */
final class Clock {

    private Clock() {
    }

    static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
