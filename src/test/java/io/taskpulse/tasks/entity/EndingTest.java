package io.taskpulse.tasks.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EndingTest {

    @Test
    void exitCodeZeroSucceedsAndAnyOtherFails() {
        assertEquals(Status.SUCCEEDED, new Ending(null, 0, null, null, null, null).status());
        assertEquals(Status.FAILED, new Ending(null, 1, null, null, null, null).status());
        assertEquals(Status.FAILED, new Ending(null, 255, null, null, null, null).status());
    }

    @Test
    void exitCodesOutsideWhatAShellReportsAreRefused() {
        assertTrue(assertThrows(TaskRejected.class, () -> new Ending(null, 256, null, null, null, null))
                .getMessage().contains("0 to 255"));
        assertThrows(TaskRejected.class, () -> new Ending(null, -1, null, null, null, null));
    }

    @Test
    void aStatusThatContradictsTheExitCodeIsRefused() {
        assertTrue(assertThrows(TaskRejected.class, () -> new Ending(Status.SUCCEEDED, 2, null, null, null, null))
                .getMessage().contains("contradicts"));
        assertEquals(Status.FAILED, new Ending(Status.FAILED, 2, null, null, null, null).status());
    }

    @Test
    void anEndingNeedsAStatusOrAnExitCode() {
        assertTrue(assertThrows(TaskRejected.class, () -> new Ending(null, null, "done", null, null, null))
                .getMessage().contains("status or exitCode is required"));
    }

    @Test
    void runIdsAreCheckedAndBlankMessagesDropped() {
        assertThrows(TaskRejected.class, () -> new Ending(Status.FAILED, null, null, "x".repeat(101), null, null));
        assertThrows(TaskRejected.class, () -> new Ending(Status.FAILED, null, null, "a\nb", null, null));
        assertEquals(null, new Ending(Status.FAILED, null, "  ", null, null, null).message());
        assertThrows(TaskRejected.class, () -> new Ending(Status.FAILED, null, null, null, -5L, null));
    }
}
