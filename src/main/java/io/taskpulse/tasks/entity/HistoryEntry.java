package io.taskpulse.tasks.entity;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Instant;

/** One status a task was given, and when. Written only by database triggers; read-only here. */
@Entity
@Table(name = "task_history")
@NamedQuery(name = HistoryEntry.OF_TASK, query = "SELECT h FROM HistoryEntry h WHERE h.taskId = :taskId ORDER BY h.id DESC")
@NamedQuery(name = HistoryEntry.OLDER_THAN, query = "DELETE FROM HistoryEntry h WHERE h.changedAt < :cutoff")
@JsonbPropertyOrder({"status", "message", "changedAt"})
public class HistoryEntry {

    public static final String OF_TASK = "HistoryEntry.ofTask";
    public static final String OLDER_THAN = "HistoryEntry.olderThan";

    @Id
    private long id;

    @Column(name = "task_id")
    private long taskId;

    @Enumerated(EnumType.STRING)
    private Status status;

    @Column(name = "status_message")
    private String message;

    @Column(name = "changed_at")
    private Timestamp changedAt;

    protected HistoryEntry() {
    }

    @JsonbTransient
    public long getId() {
        return id;
    }

    public Status getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }

    public Instant getChangedAt() {
        return changedAt == null ? null : changedAt.toInstant();
    }
}
