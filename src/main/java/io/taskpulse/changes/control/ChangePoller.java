package io.taskpulse.changes.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.changes.entity.Stamped;
import io.taskpulse.changes.entity.ChangeBatch;
import io.taskpulse.tasks.control.Deadlines;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.changes.entity.FeedStalled;
import io.taskpulse.configuration.ConnectionFailure;
import io.taskpulse.schema.control.SchemaMigration;
import io.taskpulse.tasks.control.TasksChanged;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one poller of this server. Every tick (and at once after TaskPulse commits a write, or PostgreSQL notifies
 * a commit) it stamps pending changes, reads what came after its cursor, and fires the batch as a CDI event. While
 * {@link ChangeNotifications} is live, a tick with nothing notified reads the database only every
 * {@code taskpulse.poll.listening-interval} and otherwise fires an empty batch (the clients' heartbeat) from memory. Polls never overlap: a wake-up
 * during a poll makes exactly one more poll after it.
 * <p>
 * When the database fails, the poller stays up and backs off ({@link PollBackoff}: one interval, doubling, up to
 * {@code taskpulse.poll.backoff.max}), fires {@link FeedStalled} after each failed attempt so clients learn their
 * data is stale, and logs the first failure in full, then one line every few minutes. When the database answers
 * again it resumes from its cursor: the same clock gives the changes made meanwhile as one ordinary batch, with no
 * reload and no reset for clients. A pooled connection cannot hang it forever: see TaskPulseDataSource's timeouts.
 * <p>
 * The feed must be exactly where the cursor is. If it refuses a batch (it throws, as the feed does when a batch does not follow its revision) or fails on one,
 * for any reason, the cursor is dropped and the next poll (at once) reloads everything: the feed sends every client
 * a reset snapshot. Counted ({@code taskpulse_feed_resyncs_total}), logged, and reported by /health while it lasts.
 * <p>
 * Polls (and the fan-out each starts) run on a thread of their own, made by the container's
 * {@link ManagedThreadFactory}; only the clock's tick is on the shared {@link ManagedScheduledExecutorService}. Payara's
 * default scheduled executor has one thread, and Tyrus queues a managed idle-timeout task on it for every frame it
 * sends: after a fan-out to 10,000 sockets the next poll waited behind 10,000 of them (issue 17, docs/benchmarks.md).
 */
@ApplicationScoped
public class ChangePoller {

    private static final Logger LOG = Logger.getLogger(ChangePoller.class.getName());
    private static final Duration PURGE_AT_MOST_EVERY = Duration.ofMinutes(10);
    private static final Duration LOG_FAILURES_AT_MOST_EVERY = Duration.ofMinutes(5);
    /** What clients are told; the details are for the log and /health. */
    private static final String UNAVAILABLE = "database unavailable";

    /** The clock's tick only: see the class comment. */
    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    Deadlines deadlines;

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

    @Inject
    Event<FeedStalled> stalls;

    /** After a stamp commits: alerts deliver what it queued (see {@link Stamped}). */
    @Inject
    Event<Stamped> stamped;

    @Inject
    ChangeNotifications notifications;

    private final Clock clock = Clock.systemUTC();
    /** When the next overdue or timeout transition is due, by the schedules' clock (see {@link Deadlines}). */
    private Instant nextDeadline = Instant.MIN;
    private ScheduledFuture<?> ticks;
    /** Runs {@link #drain}: one thread, kept; at most one drain is queued or running ({@link #running}). */
    private ExecutorService polls;
    private boolean running;
    private boolean requested;
    /** A write or a notification asked for this poll (not just the clock): it must read the database. */
    private boolean demanded;
    private volatile boolean stopped;
    private final Object pollLock = new Object();

    /** Only the poller thread touches these. */
    private long cursor = -1;
    private long horizon;
    private Instant nextPurge = Instant.MIN;
    private Instant failingSince;
    private Instant nextFailureLog = Instant.MIN;
    private volatile PollBackoff backoff;

    /** For health checks, read from any thread. */
    private volatile Instant lastSuccess = Instant.EPOCH;
    private volatile String lastFailure;
    private volatile String staleReason;
    /** Why the feed stopped taking batches, and since when; null while it takes them. */
    private volatile String outOfStep;
    private volatile Instant outOfStepSince;

    /**
     * Ready before any observer method runs: another bean's start-up observer (the demo mode's seeding) may commit
     * a write, and so wake this poller, before {@link #start} has been called.
     */
    @PostConstruct
    void init() {
        backoff = new PollBackoff(settings.pollInterval(), settings.pollBackoffMax());
        polls = Executors.newSingleThreadExecutor(threads);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        pollOnce(true);
        long interval = settings.pollInterval().toMillis();
        ticks = scheduler.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "Change poller started: every {0,number,#} ms, and at once after each write; "
                + "backing off up to {1} while the database fails", new Object[]{interval, settings.pollBackoffMax()});
    }

    /** TaskPulse's own writes don't wait for the next tick; one that committed also shortens a backoff. */
    void afterWrite(@Observes(during = TransactionPhase.AFTER_SUCCESS) TasksChanged written) {
        backoff.databaseAnswered();
        wake();
    }

    /**
     * Asks for a poll that reads the database, as soon as possible: something was written. Cheap and safe to call
     * from any thread, any number of times.
     */
    public void wake() {
        request(true);
    }

    /** The clock's tick: a poll, which may skip the database while notifications are live (see {@link #quiet}). */
    private void tick() {
        request(false);
    }

    private void request(boolean demand) {
        synchronized (this) {
            requested = true;
            demanded |= demand;
            if (running || stopped) {
                return;
            }
            running = true;
        }
        try {
            polls.execute(this::drain);
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
        boolean finished = false;
        try {
            while (true) {
                boolean demand;
                synchronized (this) {
                    if (!requested || stopped) {
                        running = false;
                        finished = true;
                        return;
                    }
                    requested = false;
                    demand = demanded;
                    demanded = false;
                }
                pollOnce(demand);
            }
        } finally {
            if (!finished) {
                // A poll threw an Error: the poller must not stay "running" for good, or every later tick and
                // wake-up would return at once and the feed would silently stop.
                synchronized (this) {
                    running = false;
                }
            }
        }
    }

    /**
     * One poll. Serialized: the first poll runs on the starting thread while a wake-up may already drain on the
     * executor. Catches every RuntimeException: one escaping a scheduled task would silently cancel it.
     */
    private void pollOnce(boolean demanded) {
        synchronized (pollLock) {
            pollOnceLocked(demanded);
        }
    }

    private void pollOnceLocked(boolean demanded) {
        long startedNanos = System.nanoTime();
        Instant started = clock.instant();
        Instant scheduleNow = deadlines.now();
        if (!demanded && quiet(started) && scheduleNow.isBefore(nextDeadline)) {
            // Notified of every commit, and nothing was: the clients' heartbeat, from memory, without a query.
            hand(ChangeBatch.delta(cursor, cursor, horizon, List.of()));
            return;
        }
        if (!backoff.due(started)) {
            // Backing off: no query, but clients keep hearing every interval that their data is stale, so a
            // page's silence watchdog can tell a stalled database from a hung server.
            tellStale();
            return;
        }
        try {
            schema.migrate();
            if (demanded || !scheduleNow.isBefore(nextDeadline)) {
                checkDeadlines(scheduleNow);
            }
            ChangeLog.Glance glance = log.glance();
            horizon = glance.horizon();
            boolean handed;
            if (cursor >= 0 && glance.nothingAfter(cursor)) {
                // The common tick: one statement, and an empty batch so that clients hear their heartbeat.
                handed = hand(ChangeBatch.delta(cursor, cursor, glance.horizon(), List.of()));
            } else {
                if (glance.pending() > 0) {
                    stamped.fire(new Stamped(log.stampPending()));
                }
                handed = readChanges();
            }
            if (!handed) {
                // Not a success: /health reports why if the reload does not follow within its allowance.
                return;
            }
            outOfStepSince = null;
            purgeWhenDue();
            metrics.polled(System.nanoTime() - startedNanos, cursor);
            lastSuccess = clock.instant();
            lastFailure = null;
            staleReason = null;
            int failed = backoff.succeeded();
            if (failed > 0) {
                LOG.log(Level.INFO, "Change poller recovered after {0} failed polls in {1} s; resuming from revision {2}",
                        new Object[]{failed, Duration.between(failingSince, lastSuccess).toSeconds(), cursor});
            }
            failingSince = null;
        } catch (RuntimeException e) {
            metrics.pollFailed(System.nanoTime() - startedNanos);
            failed(started, e);
        }
    }

    /**
     * Overdue tasks and timed-out runs (see {@link Deadlines}), before the changes are read, so that their transitions
     * go out in this same poll. After a write (it may have set a schedule) and when the earliest deadline has come;
     * otherwise not at all. A failure here must not stop the feed: it is logged and tried again a tick later (a
     * database that cannot be reached fails the poll as a whole, as the changes' own read would).
     */
    private void checkDeadlines(Instant now) {
        try {
            nextDeadline = deadlines.check(now);
        } catch (RuntimeException e) {
            if (ConnectionFailure.in(e)) {
                // The database is away: the whole poll fails and backs off, with this one connection attempt (going
                // on to the changes would make a second one every time, and the outage's backoff would halve).
                throw e;
            }
            nextDeadline = now.plus(settings.pollInterval());
            LOG.log(Level.WARNING, "Overdue and timeout check failed; trying again next tick: {0}", e.toString());
        }
    }

    /**
     * Whether a tick may skip the database: this server is notified of every commit (PostgreSQL's LISTEN), the
     * feed is healthy, and the last read was less than {@code taskpulse.poll.listening-interval} ago.
     */
    private boolean quiet(Instant now) {
        return cursor >= 0 && staleReason == null && notifications.live()
                && Duration.between(lastSuccess, now).compareTo(settings.pollListeningInterval()) < 0;
    }

    /** How often this poller reads the database when nothing happens: what /health expects. */
    public Duration readInterval() {
        return notifications.live() ? settings.pollListeningInterval() : settings.pollInterval();
    }

    /**
     * Reads what came after the cursor (everything on the first poll, after a resync, or when the clock went back)
     * and hands it to the feed.
     *
     * @return false when the feed refused or failed on the batch (the cursor is then reset: see {@link #hand})
     */
    private boolean readChanges() {
        if (cursor >= 0) {
            ChangeBatch batch = log.readAfter(cursor);
            if (batch.to() >= cursor) {
                if (!hand(batch)) {
                    return false;
                }
                batch.changes().forEach(change -> metrics.handedOver(change.changedAt()));
                cursor = batch.to();
                horizon = batch.horizon();
                return true;
            }
            LOG.log(Level.WARNING, "Feed clock went back from {0} to {1} (database replaced?): reloading",
                    new Object[]{cursor, batch.to()});
        }
        ChangeBatch all = log.readAll();
        if (!hand(all)) {
            return false;
        }
        cursor = all.to();
        horizon = all.horizon();
        return true;
    }

    /**
     * Hands a batch to the feed (a synchronous CDI event). If the feed refuses it (it is not where the cursor is: the
     * feed throws) or fails on it for any reason, the feed and the database can no longer be trusted
     * to agree: the cursor is reset, so the next poll (at once, or on the next tick if this was the reload itself)
     * reads everything and the feed reloads, sending every client a reset snapshot.
     *
     * @return whether the feed took the batch
     */
    private boolean hand(ChangeBatch batch) {
        try {
            batches.fire(batch);
            return true;
        } catch (RuntimeException e) {
            metrics.feedResynced();
            Instant now = clock.instant();
            if (outOfStepSince == null) {
                outOfStepSince = now;
            }
            outOfStep = "the feed fell out of step with the database (" + e + "); reloading it";
            LOG.log(Level.WARNING, "The feed did not take the batch (" + batch.from() + ", " + batch.to()
                    + "]: reloading it from the database; every client gets a reset snapshot", e);
            cursor = -1;
            if (!batch.full()) {
                synchronized (this) {
                    requested = true;
                    demanded = true;
                }
            }
            return false;
        }
    }

    private void failed(Instant started, RuntimeException e) {
        lastFailure = rootMessage(e);
        Duration wait = backoff.failed(started);
        Instant now = clock.instant();
        if (failingSince == null) {
            failingSince = started;
            nextFailureLog = now.plus(LOG_FAILURES_AT_MOST_EVERY);
            LOG.log(Level.WARNING, "Poll failed; the feed is stale until the database answers. Retrying with backoff", e);
        } else if (!now.isBefore(nextFailureLog)) {
            nextFailureLog = now.plus(LOG_FAILURES_AT_MOST_EVERY);
            LOG.log(Level.WARNING, "Polls still failing since {0}; next attempt in {1} ms: {2}",
                    new Object[]{failingSince, wait.toMillis(), lastFailure});
        }
        staleReason = ConnectionFailure.in(e) ? UNAVAILABLE : "database error";
        tellStale();
    }

    private void tellStale() {
        String reason = staleReason;
        if (reason == null) {
            return;
        }
        try {
            stalls.fire(new FeedStalled(reason));
        } catch (RuntimeException notified) {
            LOG.log(Level.WARNING, "Clients not told that the feed is stale: {0}", notified.toString());
        }
    }

    /** When the last poll succeeded: it read the database, so the database answered then. */
    public Instant lastSuccess() {
        return lastSuccess;
    }

    /** Why the polls since then failed (the database, or a feed that fell out of step), or null. */
    public String lastFailure() {
        Instant since = outOfStepSince;
        return since != null ? outOfStep + " since " + since : lastFailure;
    }

    /** Why the feed is stale, in words for clients ("database unavailable"), or null while polls succeed. */
    public String staleReason() {
        return staleReason;
    }

    /** When the poller tries the database next while it fails; null while polls succeed. */
    public Instant nextAttempt() {
        PollBackoff current = backoff;
        Instant at = current == null ? Instant.MIN : current.retryAt();
        return Instant.MIN.equals(at) ? null : at;
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
        // A poll under way finishes (it sees "stopped" before the next); none outlives the application.
        polls.shutdown();
        try {
            if (!polls.awaitTermination(10, TimeUnit.SECONDS)) {
                polls.shutdownNow();
            }
        } catch (InterruptedException e) {
            polls.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
