package io.taskpulse.tasks.entity;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/**
 * One status a task was given, and when. Database triggers write the history (whoever changed the task), so it is
 * read with SQL and has no entity of its own.
 */
@JsonbPropertyOrder({"status", "message", "changedAt"})
public final class HistoryEntry {

    private final Status status;
    private final String message;
    private final Instant changedAt;

    public HistoryEntry(Status status, String message, Instant changedAt) {
        this.status = status;
        this.message = message;
        this.changedAt = changedAt;
    }

    public Status getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }

    public Instant getChangedAt() {
        return changedAt;
    }
}
