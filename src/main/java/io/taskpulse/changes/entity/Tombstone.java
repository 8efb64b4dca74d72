package io.taskpulse.changes.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * What is left of a deleted task: its id, so that clients can drop it. A database trigger writes it for every
 * DELETE, whoever runs it; the stamper gives it a revision like any change.
 */
@Entity
@Table(name = "task_tombstone")
@NamedQuery(name = Tombstone.PENDING, query = "SELECT t.taskId, t.deletedAt FROM Tombstone t WHERE t.revision IS NULL ORDER BY t.deletedAt, t.taskId")
@NamedQuery(name = Tombstone.BETWEEN,
        query = "SELECT t FROM Tombstone t WHERE t.revision > :after AND t.revision <= :upTo ORDER BY t.revision")
@NamedQuery(name = Tombstone.NEWEST_EXPIRED,
        query = "SELECT MAX(t.revision) FROM Tombstone t WHERE t.revision IS NOT NULL AND t.deletedAt < :cutoff")
@NamedQuery(name = Tombstone.PURGE_THROUGH, query = "DELETE FROM Tombstone t WHERE t.revision <= :revision")
public class Tombstone {

    public static final String PENDING = "Tombstone.pending";
    public static final String BETWEEN = "Tombstone.between";
    public static final String NEWEST_EXPIRED = "Tombstone.newestExpired";
    public static final String PURGE_THROUGH = "Tombstone.purgeThrough";

    @Id
    @Column(name = "task_id")
    private long taskId;

    @Column(name = "deleted_at", insertable = false, updatable = false)
    private Timestamp deletedAt;

    @Column(insertable = false, updatable = false)
    private Long revision;

    protected Tombstone() {
    }

    public long taskId() {
        return taskId;
    }

    public Instant deletedAt() {
        return deletedAt == null ? null : deletedAt.toInstant();
    }

    public Long revision() {
        return revision;
    }
}
