package io.taskpulse.feed.entity;

/**
 * One task's newest state at one revision: its JSON (serialized once, when read from the database), or
 * {@code null} when the task was deleted.
 */
public record Change(long taskId, long revision, String taskJson) {

    public boolean deleted() {
        return taskJson == null;
    }
}
