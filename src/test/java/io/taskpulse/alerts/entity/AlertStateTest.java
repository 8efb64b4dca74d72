package io.taskpulse.alerts.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlertStateTest {

    private static AlertState state(String stored) {
        return AlertState.parse(stored);
    }

    @Test
    void failingIsOneTransitionAndFailingAgainIsNone() {
        assertEquals(List.of(Transition.FAILED), state("SUCCEEDED").transitionsTo(state("FAILED")));
        assertEquals(List.of(), state("FAILED").transitionsTo(state("FAILED")));
    }

    @Test
    void aTaskNeverEvaluatedCountsAsNotRunSoACreatedFailedTaskAlerts() {
        assertEquals(List.of(Transition.FAILED), state(null).transitionsTo(state("FAILED")));
        assertEquals(List.of(), state(null).transitionsTo(state("SUCCEEDED")));
    }

    @Test
    void overdueAndRecoveryFromEitherFailedOrOverdue() {
        assertEquals(List.of(Transition.OVERDUE), state("SUCCEEDED").transitionsTo(state("SUCCEEDED OVERDUE")));
        assertEquals(List.of(Transition.RECOVERED), state("SUCCEEDED OVERDUE").transitionsTo(state("SUCCEEDED")));
        assertEquals(List.of(Transition.RECOVERED), state("FAILED").transitionsTo(state("SUCCEEDED")));
        assertEquals(List.of(Transition.OVERDUE), state("FAILED").transitionsTo(state("FAILED OVERDUE")));
        assertEquals(List.of(), state("FAILED").transitionsTo(state("NOT_RUN")), "no result yet is no recovery");
        assertEquals(List.of(), state("SUCCEEDED").transitionsTo(state("SUCCEEDED")));
    }

    @Test
    void theStoredFormReadsBack() {
        assertEquals(new AlertState("FAILED", true), state(new AlertState("FAILED", true).stored()));
        assertEquals("NOT_RUN", state("NOT_RUN").stored());
    }
}
