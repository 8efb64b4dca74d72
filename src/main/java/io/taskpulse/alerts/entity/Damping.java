package io.taskpulse.alerts.entity;

import java.time.Duration;
import java.time.Instant;

/**
 * The damping rule for a task that flaps: a window opens at a task's first transition and lasts {@code window}; the
 * first {@code limit} transitions in it are each alerted, the next one sends ONE summary ({@link Transition#FLAPPING},
 * naming the state the task is in), and later ones send nothing until the window ends. The first transition after
 * the window opens a new one. Defaults: 5 transitions in 10 minutes ({@code taskpulse.alerts.damping.limit},
 * {@code taskpulse.alerts.damping.window}).
 */
public record Damping(int limit, Duration window) {

    public enum Decision { SEND, SUMMARY, HOLD }

    /** Where a task's window stands after one more transition at {@code now}, and what to do with that transition. */
    public record Step(Instant windowStart, int count, Decision decision) {
    }

    public Step next(Instant windowStart, int count, Instant now) {
        if (windowStart == null || !now.isBefore(windowStart.plus(window)) || now.isBefore(windowStart)) {
            return new Step(now, 1, Decision.SEND);
        }
        int counted = count + 1;
        Decision decision = counted <= limit ? Decision.SEND : counted == limit + 1 ? Decision.SUMMARY : Decision.HOLD;
        return new Step(windowStart, counted, decision);
    }
}
