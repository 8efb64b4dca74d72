package io.taskpulse.changes.entity;

import java.util.List;

/**
 * What the poller read in one go: every change with a revision in (from, to], in revision order.
 * A full batch is the whole current state (start-up, or the database was replaced), not a delta.
 */
public record ChangeBatch(boolean full, long from, long to, long horizon, List<Change> changes) {

    public ChangeBatch {
        changes = List.copyOf(changes);
    }

    public static ChangeBatch delta(long from, long to, long horizon, List<Change> changes) {
        return new ChangeBatch(false, from, to, horizon, changes);
    }

    public static ChangeBatch full(long to, long horizon, List<Change> changes) {
        return new ChangeBatch(true, horizon, to, horizon, changes);
    }
}
