package io.taskpulse.tasks.control;

import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a write's whole transaction again when the database rolled it back to break a deadlock or a lock wait, a
 * bounded number of times, so a script sees 503 only when the database stays busy. Retrying is safe because the
 * database undid everything the attempt wrote (its history row included), so a retried report is written once.
 * <p>
 * The attempt passed in must begin and end its own transaction: a retry inside a transaction the database has
 * already rolled back would only fail again.
 */
@ApplicationScoped
public class WriteRetry {

    /** Attempts in all, the first included. */
    static final int ATTEMPTS = 6;
    /** Upper bound of the first pause; it doubles with each retry (full jitter: 0..25, 0..50, ... 0..400 ms). */
    static final long FIRST_PAUSE_MILLIS = 25;

    /**
     * Derby: 40001 deadlock, 40XL1 lock timeout (also its identity generator under contention), 40XL2 lock timeout
     * with the lock table; PostgreSQL: 40001 serialization failure, 40P01 deadlock; MariaDB: 40001 deadlock (error
     * 1213).
     */
    static final Set<String> RETRYABLE = Set.of("40001", "40XL1", "40XL2", "40P01");

    /**
     * MariaDB's lock wait timeout (error 1205, innodb_lock_wait_timeout) comes with the general SQLState HY000, so it
     * is told by its error code (no other database's: Derby's error codes are severities, multiples of 10000, and
     * PostgreSQL's driver reports 0). InnoDB
     * then undoes only the statement, not the transaction (innodb_rollback_on_timeout is off by default); the attempt
     * fails, its transaction is rolled back as a whole, and the retry starts afresh.
     */
    static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;

    private static final Logger LOG = Logger.getLogger(WriteRetry.class.getName());

    @Inject
    Metrics metrics;

    @Inject
    Tasks tasks;

    int attempts = ATTEMPTS;
    Pause pause = WriteRetry::sleep;

    /** Waits between attempts; a test replaces it. */
    interface Pause {
        void millis(long millis);
    }

    public <T> T call(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !retryable(e)) {
                    throw e;
                }
                metrics.writeRetried();
                LOG.log(Level.FINE, "Write rolled back by the database, attempt {0} of {1}: {2}",
                        new Object[]{attempt, attempts, e});
                pause.millis(ThreadLocalRandom.current().nextLong(FIRST_PAUSE_MILLIS << (attempt - 1)) + 1);
            }
        }
    }

    /**
     * {@link #call}, run once more when it failed after another request deleted a task it had found. The write then
     * failed inside the database (its UPDATE met no row, a run's foreign key no task; on PostgreSQL EclipseLink's
     * {@code UPDATE ... RETURNING} fails with a NullPointerException on no row) and was rolled back whole. Run again
     * after the deletion, it answers as a write sent a moment later would: 404, or with {@code ?create=true} a new
     * task; not 500 (ConcurrentWritersIT). Locking the row when it is read was the other way, and on Derby such an
     * early lock joins a deadlock cycle with the DELETE's cascade and the stamp (see {@link TaskRuns}).
     *
     * @param found the ids of the tasks the last attempt had found (asked after it failed); a task the write created
     *              itself is not one of them, so a failed create is never run again
     */
    public <T> T callAgainIfGone(Supplier<T> transaction, Supplier<Collection<Long>> found) {
        try {
            return call(transaction);
        } catch (TaskRejected | Reports.Refused chosen) {
            throw chosen;
        } catch (RuntimeException failure) {
            if (!gone(found.get())) {
                throw failure;
            }
            LOG.log(Level.FINE, "A task was deleted while a write ran; writing again: {0}", failure.toString());
            try {
                return call(transaction);
            } catch (RuntimeException again) {
                again.addSuppressed(failure);
                throw again;
            }
        }
    }

    /** Whether one of the tasks is gone; false when the database cannot tell (the write's own failure stands). */
    private boolean gone(Collection<Long> found) {
        try {
            return !found.isEmpty() && tasks.anyGone(found);
        } catch (RuntimeException unanswered) {
            return false;
        }
    }

    /** Whether the database rolled the transaction back for a lock, anywhere in the causes (and next exceptions). */
    static boolean retryable(Throwable failure) {
        return retryable(failure, new IdentityHashMap<>());
    }

    private static boolean retryable(Throwable failure, Map<Throwable, Boolean> seen) {
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null && RETRYABLE.contains(sql.getSQLState()) || mariaDbLockWaitTimeout(sql)) {
                    return true;
                }
                if (sql.getNextException() != null && retryable(sql.getNextException(), seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether MariaDB gave up waiting for a row lock (see {@link #MARIADB_LOCK_WAIT_TIMEOUT}). */
    public static boolean mariaDbLockWaitTimeout(SQLException sql) {
        return sql.getErrorCode() == MARIADB_LOCK_WAIT_TIMEOUT;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a write", e);
        }
    }
}
