package io.taskpulse.changes.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * The single row that orders the feed: the last revision handed out, and the horizon (the newest revision
 * whose tombstone was purged: a client behind it may have missed a deletion).
 * Stampers lock this row, so revisions are handed out, and committed, one batch at a time.
 */
@Entity
@Table(name = "feed_clock")
@NamedQuery(name = FeedClock.GLANCE, query = FeedClock.GLANCE_JPQL)
public class FeedClock {

    /** What an idle poll costs: one statement, the clock and whether any change waits for a revision. */
    public static final String GLANCE = "FeedClock.glance";
    /**
     * JPQL, not native SQL: EclipseLink runs a native query on the transaction's own connection (BEGIN, the query,
     * COMMIT: three statements), a JPQL read on a read connection (one). Subqueries in the SELECT clause are an
     * EclipseLink extension; each is an index look-up on {@code revision IS NULL}.
     */
    static final String GLANCE_JPQL = "SELECT c.revision, c.horizon,"
            + " (SELECT COUNT(t) FROM Task t WHERE t.revision IS NULL),"
            + " (SELECT COUNT(b) FROM Tombstone b WHERE b.revision IS NULL)"
            + " FROM FeedClock c WHERE c.id = 1";

    public static final int ID = 1;

    @Id
    private int id;

    private long revision;

    private long horizon;

    protected FeedClock() {
    }

    public long revision() {
        return revision;
    }

    public long horizon() {
        return horizon;
    }

    /** The next revision, for the next change in this stamper's batch. */
    public long advance() {
        return ++revision;
    }

    public void purgedThrough(long revision) {
        horizon = Math.max(horizon, revision);
    }
}
