package io.taskpulse.feed.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.feed.entity.ChangeBatch;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.schema.control.SchemaMigration;
import io.taskpulse.tasks.control.TasksChanged;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one poller of this server. Every tick (and at once after TaskPulse commits a write) it stamps pending
 * changes, reads what came after its cursor, and fires the batch as a CDI event. Polls never overlap: a wake-up
 * during a poll makes exactly one more poll after it.
 */
@ApplicationScoped
public class ChangePoller {

    private static final Logger LOG = Logger.getLogger(ChangePoller.class.getName());
    private static final Duration PURGE_AT_MOST_EVERY = Duration.ofMinutes(10);

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    SchemaMigration schema;

    @Inject
    ChangeLog log;

    @Inject
    Settings settings;

    @Inject
    Event<ChangeBatch> batches;

    @Inject
    Metrics metrics;

    private final Clock clock = Clock.systemUTC();
    private ScheduledFuture<?> ticks;
    private boolean running;
    private boolean requested;
    private volatile boolean stopped;

    /** Only the poller thread touches these. */
    private long cursor = -1;
    private Instant nextPurge = Instant.MIN;
    private int failuresInARow;

    /** For health checks, read from any thread. */
    private volatile Instant lastSuccess = Instant.EPOCH;
    private volatile String lastFailure;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        pollOnce();
        long interval = settings.pollInterval().toMillis();
        ticks = scheduler.scheduleWithFixedDelay(this::wake, interval, interval, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "Change poller started: every {0,number,#} ms, and at once after each write", interval);
    }

    /** TaskPulse's own writes don't wait for the next tick. */
    void afterWrite(@Observes(during = TransactionPhase.AFTER_SUCCESS) TasksChanged written) {
        wake();
    }

    /** Asks for a poll as soon as possible. Cheap and safe to call from any thread, any number of times. */
    public void wake() {
        synchronized (this) {
            requested = true;
            if (running || stopped) {
                return;
            }
            running = true;
        }
        try {
            scheduler.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running = false;
            }
            if (!stopped) {
                LOG.log(Level.WARNING, "Poll not scheduled: {0}", e.toString());
            }
        }
    }

    private void drain() {
        while (true) {
            synchronized (this) {
                if (!requested || stopped) {
                    running = false;
                    return;
                }
                requested = false;
            }
            pollOnce();
        }
    }

    /** Catches everything: an exception escaping a scheduled task would silently cancel it. */
    private void pollOnce() {
        long started = System.nanoTime();
        try {
            schema.migrate();
            log.stampPending();
            if (cursor < 0) {
                ChangeBatch all = log.readAll();
                batches.fire(all);
                cursor = all.to();
            } else {
                ChangeBatch batch = log.readAfter(cursor);
                if (batch.to() < cursor) {
                    LOG.log(Level.WARNING, "Feed clock went back from {0} to {1} (database replaced?): reloading",
                            new Object[]{cursor, batch.to()});
                    ChangeBatch all = log.readAll();
                    batches.fire(all);
                    cursor = all.to();
                } else {
                    batches.fire(batch);
                    batch.changes().forEach(change -> metrics.handedOver(change.changedAt()));
                    cursor = batch.to();
                }
            }
            purgeWhenDue();
            metrics.polled(System.nanoTime() - started, cursor);
            lastSuccess = clock.instant();
            lastFailure = null;
            if (failuresInARow > 0) {
                LOG.log(Level.INFO, "Change poller recovered after {0} failed polls", failuresInARow);
            }
            failuresInARow = 0;
        } catch (RuntimeException e) {
            metrics.pollFailed(System.nanoTime() - started);
            failuresInARow++;
            lastFailure = rootMessage(e);
            if (failuresInARow == 1 || failuresInARow % 60 == 0) {
                LOG.log(Level.WARNING, "Poll failed (" + failuresInARow + " in a row); retrying on the next tick", e);
            }
        }
    }

    /** When the last poll succeeded: it read the database, so the database answered then. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Why the polls since then failed, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private void purgeWhenDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        Duration retention = settings.tombstoneRetention();
        // Look as often as the retention is short (a test may keep tombstones for seconds), at most every 10 min.
        Duration every = retention.compareTo(PURGE_AT_MOST_EVERY) < 0 ? retention : PURGE_AT_MOST_EVERY;
        nextPurge = now.plus(every);
        long horizon = log.purgeTombstones(now.minus(retention));
        if (horizon >= 0) {
            LOG.log(Level.INFO, "Purged tombstones through revision {0}", horizon);
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
