package io.taskpulse.feed.control;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.changes.entity.ChangeBatch;
import io.taskpulse.metrics.control.Metrics;
import java.util.List;

/** A feed loaded with these changes, for tests of the features that read it from other packages. */
public final class LoadedFeed {

    private LoadedFeed() {
    }

    public static TaskFeed of(Metrics metrics, List<Change> changes) {
        TaskFeed feed = new TaskFeed();
        feed.metrics = metrics;
        long revision = changes.stream().mapToLong(Change::revision).max().orElse(0);
        feed.load(ChangeBatch.full(revision, 0, changes));
        return feed;
    }
}
