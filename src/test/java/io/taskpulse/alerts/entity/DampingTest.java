package io.taskpulse.alerts.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DampingTest {

    private final Damping damping = new Damping(3, Duration.ofMinutes(10));
    private final Instant start = Instant.parse("2026-12-06T03:00:00Z");

    @Test
    void aFlappingTaskGetsItsFirstTransitionsThenOneSummaryThenSilenceUntilTheWindowEnds() {
        List<Damping.Decision> decisions = new ArrayList<>();
        Instant windowStart = null;
        int count = 0;
        for (int i = 0; i < 7; i++) {
            Damping.Step step = damping.next(windowStart, count, start.plusSeconds(10L * i));
            windowStart = step.windowStart();
            count = step.count();
            decisions.add(step.decision());
        }
        assertEquals(List.of(Damping.Decision.SEND, Damping.Decision.SEND, Damping.Decision.SEND, Damping.Decision.SUMMARY,
                Damping.Decision.HOLD, Damping.Decision.HOLD, Damping.Decision.HOLD), decisions);

        Damping.Step later = damping.next(windowStart, count, start.plus(Duration.ofMinutes(10)));
        assertEquals(Damping.Decision.SEND, later.decision(), "a new window after 10 minutes");
        assertEquals(1, later.count());
    }
}
