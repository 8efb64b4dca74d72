package io.taskpulse.tasks.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void newTaskHasNotRunYet() {
        Task task = new Task("backup", "dump the database");

        assertEquals(Status.NOT_RUN, task.getStatus());
        assertNull(task.getMessage());
    }

    @Test
    void nameIsTrimmedAndRequired() {
        assertEquals("backup", new Task("  backup ", null).getName());
        assertEquals(TaskRejected.Reason.INVALID, assertThrows(TaskRejected.class, () -> new Task(" ", null)).reason());
        assertEquals(TaskRejected.Reason.INVALID, assertThrows(TaskRejected.class, () -> new Task(null, null)).reason());
    }

    @Test
    void overlongOrControlCharacterNamesAreRejected() {
        assertThrows(TaskRejected.class, () -> new Task("x".repeat(Task.NAME_LENGTH + 1), null));
        assertThrows(TaskRejected.class, () -> new Task("bad\nname", null));
        assertEquals(Task.NAME_LENGTH, new Task("x".repeat(Task.NAME_LENGTH), null).getName().length());
    }

    @Test
    void halfASurrogatePairIsNoCharacterAndIsRejectedEverywhere() {
        // Found by FuzzIT: {"name":"x\\ud800"} was stored, and every WebSocket snapshot then failed to send.
        assertThrows(TaskRejected.class, () -> new Task("x\ud800", null));
        assertThrows(TaskRejected.class, () -> new Task("\udc00x", null));
        assertThrows(TaskRejected.class, () -> new Task("x", "\udc00\ud800"));
        assertThrows(TaskRejected.class, () -> new Task("x", null).report(Status.FAILED, "half \ud83d"));
        assertEquals("rocket \uD83D\uDE80", new Task("rocket \uD83D\uDE80", "\uD83D\uDE80").getName());
    }

    @Test
    void nulInADescriptionOrMessageIsRejected() {
        // Found by FuzzIT: PostgreSQL cannot store NUL in text, so this was a 500 there.
        assertThrows(TaskRejected.class, () -> new Task("x", "a\u0000b"));
        assertThrows(TaskRejected.class, () -> new Task("x", null).report(Status.FAILED, "\u0000"));
        assertEquals("line\ttab\nbell\u0007", new Task("x", "line\ttab\nbell\u0007").getDescription());
    }

    @Test
    void errorsQuoteAClientsTextCutToAReadableLengthWithoutSplittingAPair() {
        assertEquals("'DONE'", TaskRejected.quote("DONE"));
        String long80 = "x".repeat(79) + "\uD83D\uDE80" + "y".repeat(5000);
        assertEquals("'" + "x".repeat(79) + "…'", TaskRejected.quote(long80));
    }

    @Test
    void reportSetsStatusAndMessage() {
        Task task = new Task("deploy", null);

        task.report(Status.FAILED, "exit code 3");

        assertEquals(Status.FAILED, task.getStatus());
        assertEquals("exit code 3", task.getMessage());
    }

    @Test
    void blankMessageIsStoredAsNone() {
        Task task = new Task("deploy", null);
        task.report(Status.FAILED, "exit code 3");

        task.report(Status.SUCCEEDED, "  ");

        assertNull(task.getMessage());
    }

    @Test
    void overlongMessageIsRejected() {
        Task task = new Task("deploy", null);

        assertThrows(TaskRejected.class, () -> task.report(Status.FAILED, "m".repeat(Task.TEXT_LENGTH + 1)));
        assertEquals(Status.NOT_RUN, task.getStatus());
    }

    @Test
    void repeatingTheSameReportIsRecognised() {
        Task task = new Task("deploy", null);
        task.report(Status.FAILED, "exit code 3");

        assertTrue(task.isReported(Status.FAILED, "exit code 3"));
        assertFalse(task.isReported(Status.FAILED, "exit code 4"));
        assertFalse(task.isReported(Status.SUCCEEDED, "exit code 3"));
        assertTrue(new Task("fresh", null).isReported(Status.NOT_RUN, " "));
    }

    @Test
    void statusParsesNamesIgnoringCaseButNothingElse() {
        assertEquals(Optional.of(Status.FAILED), Status.parse(" failed "));
        assertEquals(Optional.of(Status.NOT_RUN), Status.parse("NOT_RUN"));
        assertEquals(Optional.empty(), Status.parse("broken"));
        assertEquals(Optional.empty(), Status.parse(null));
    }

    @Test
    void everyStatusHasChineseAndEnglishLabels() {
        assertEquals("执行失败", Status.FAILED.chinese());
        assertEquals("Not run", Status.NOT_RUN.english());
        assertEquals("执行成功", Status.SUCCEEDED.chinese());
    }

    @Test
    void anAcknowledgementLastsWhileTheStateDoesAndEndsForGoodWhenItChanges() {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");
        Task task = new Task("backup", null);
        assertEquals(TaskRejected.Reason.CONFLICT,
                assertThrows(TaskRejected.class, () -> task.acknowledge("dana", null, now)).reason(), "nothing failed yet");
        task.report(Status.FAILED, "disk full");
        task.acknowledge("dana", "on it", now);
        assertEquals("dana", task.getAcknowledgedBy());
        task.report(Status.FAILED, "still full");
        assertEquals("dana", task.getAcknowledgedBy(), "the same failure reported again: still acknowledged");

        task.start("r1", now.plusSeconds(60));
        assertNull(task.getAcknowledgedBy(), "a new run is a change");
        task.report(Status.FAILED, "full again");
        assertNull(task.getAcknowledgedBy(), "a new failure nobody has seen");
    }

    @Test
    void aPausedScheduleExpectsNothingAndResumeCountsFromThen() {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");
        Task task = new Task("export", null);
        assertEquals(TaskRejected.Reason.CONFLICT, assertThrows(TaskRejected.class, () -> task.pause("erin", now)).reason());
        task.schedule(Schedule.of("PT1H", null, "PT5M"), null, now);
        task.pause("erin", now);
        assertNull(task.getExpectedAt());
        assertEquals("erin", task.getPausedBy());
        task.pause("frank", now.plusSeconds(5));
        assertEquals("erin", task.getPausedBy(), "pausing again changes nothing");
        task.report(Status.SUCCEEDED, null);
        assertNull(task.getExpectedAt(), "a report while paused expects nothing either");

        Instant later = now.plusSeconds(7200);
        task.resume(later);
        assertNull(task.getPausedAt());
        assertEquals(later.plusSeconds(3600), task.getExpectedAt());
        task.pause("erin", later);
        task.schedule(null, null, later);
        assertNull(task.getPausedAt(), "no schedule, nothing paused");
    }
}
