package io.taskpulse.tasks.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NotFoundDetailTest {

    @Test
    void aNameWhereTheIdGoesIsToldWhereNamesGo() {
        assertEquals("no task with id 'abc' (ids are numbers; for a task by name use /api/tasks/by-name/abc/status)",
                NotFoundDetail.of("/api/tasks/abc/status"));
        assertEquals("no task with id 'nightly-backup' (ids are numbers; for a task by name use "
                + "/api/tasks/by-name/nightly-backup)", NotFoundDetail.of("/api/tasks/nightly-backup"));
        assertEquals("no task with id 'x' (ids are numbers; for a task by name use /api/tasks/by-name/x/history)",
                NotFoundDetail.of("/api/tasks/x/history"));
    }

    @Test
    void anIdTooLargeForANumberIsNoTask() {
        assertEquals("no task with id '99999999999999999999999'", NotFoundDetail.of("/api/tasks/99999999999999999999999"));
    }

    @Test
    void aLongNameIsCutAndTheHintStaysGeneric() {
        String detail = NotFoundDetail.of("/api/tasks/" + "n".repeat(500) + "/status");
        assertTrue(detail.length() < 200, detail);
        assertTrue(detail.endsWith("use /api/tasks/by-name/…)"), detail);
    }

    @Test
    void anyOtherUnknownPathIsNamed() {
        assertEquals("no such path: '/api/nothing'", NotFoundDetail.of("/api/nothing"));
        assertEquals("no such path: '/api/tasks/by-name/x/statuses'", NotFoundDetail.of("/api/tasks/by-name/x/statuses"));
        assertEquals("no such path: '/api/tasks/7/owner'", NotFoundDetail.of("/api/tasks/7/owner"));
        assertEquals("no such path: '/api/tasks/by-name'", NotFoundDetail.of("/api/tasks/by-name"));
        assertEquals("no such path: '/nothing.html'", NotFoundDetail.of("/nothing.html"));
        assertEquals("no such path: '/'", NotFoundDetail.of(null));
    }
}
