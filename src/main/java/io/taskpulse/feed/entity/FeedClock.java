package io.taskpulse.feed.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The single row that orders the feed: the last revision handed out, and the horizon (the newest revision
 * whose tombstone was purged: a client behind it may have missed a deletion).
 * Stampers lock this row, so revisions are handed out, and committed, one batch at a time.
 */
@Entity
@Table(name = "feed_clock")
public class FeedClock {

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
