package io.taskpulse.badges.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.taskpulse.changes.entity.Headline;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollupTest {

    @Test
    void aGroupIsAsBadAsItsWorstTaskAndCountsThem() {
        assertEquals(new Rollup("FAILED", 2, 5), Rollup.of(tasks("SUCCEEDED", "FAILED", "OVERDUE", "FAILED", "RUNNING")));
        assertEquals(new Rollup("OVERDUE", 1, 3), Rollup.of(tasks("RUNNING", "OVERDUE", "SUCCEEDED")));
        assertEquals(new Rollup("RUNNING", 1, 2), Rollup.of(tasks("NOT_RUN", "RUNNING")));
        assertEquals(new Rollup("NOT_RUN", 1, 2), Rollup.of(tasks("SUCCEEDED", "NOT_RUN")));
        assertEquals(new Rollup("SUCCEEDED", 3, 3), Rollup.of(tasks("SUCCEEDED", "SUCCEEDED", "SUCCEEDED")));
    }

    @Test
    void noTasksIsNoRollupAndAnUnknownStateCountsAsWorst() {
        assertNull(Rollup.of(List.of()));
        assertEquals(0, Rollup.rank("SOMETHING_NEW"));
    }

    private static List<Headline> tasks(String... states) {
        return Arrays.stream(states).map(s -> new Headline("t", s, List.of())).toList();
    }
}
