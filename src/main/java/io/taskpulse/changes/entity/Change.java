package io.taskpulse.changes.entity;

import java.time.Instant;

/**
 * One task's newest state at one revision: its JSON (serialized once, when read from the database), or
 * {@code null} when the task was deleted; and when the database saw the change (null when unknown), for
 * measuring how long it took to reach the clients.
 */
public record Change(long taskId, long revision, String taskJson, Instant changedAt) {

    public Change(long taskId, long revision, String taskJson) {
        this(taskId, revision, taskJson, null);
    }

    public boolean deleted() {
        return taskJson == null;
    }
}
