package io.taskpulse.changes.entity;

import java.time.Instant;

/**
 * One task's newest state at one revision: its JSON (serialized once, when read from the database), or
 * {@code null} when the task was deleted; and when the database saw the change (null when unknown), for
 * measuring how long it took to reach the clients; and its {@link Headline} (null for a deletion, and where a test
 * builds a change without one).
 */
public record Change(long taskId, long revision, String taskJson, Instant changedAt, Headline headline) {

    public Change(long taskId, long revision, String taskJson) {
        this(taskId, revision, taskJson, null, null);
    }

    public Change(long taskId, long revision, String taskJson, Instant changedAt) {
        this(taskId, revision, taskJson, changedAt, null);
    }

    public boolean deleted() {
        return taskJson == null;
    }
}
