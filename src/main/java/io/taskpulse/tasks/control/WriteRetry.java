package io.taskpulse.tasks.control;

import io.taskpulse.metrics.control.Metrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
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
    static final int ATTEMPTS = 4;
    /** Upper bound of the first pause; it doubles with each retry (full jitter: 0..25, 0..50, 0..100 ms). */
    static final long FIRST_PAUSE_MILLIS = 25;

    /**
     * Derby: 40001 deadlock, 40XL1 lock timeout (also its identity generator under contention), 40XL2 lock timeout
     * with the lock table; PostgreSQL: 40001 serialization failure, 40P01 deadlock.
     */
    static final Set<String> RETRYABLE = Set.of("40001", "40XL1", "40XL2", "40P01");

    private static final Logger LOG = Logger.getLogger(WriteRetry.class.getName());

    @Inject
    Metrics metrics;

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

    /** Whether the database rolled the transaction back for a lock, anywhere in the causes (and next exceptions). */
    static boolean retryable(Throwable failure) {
        return retryable(failure, new IdentityHashMap<>());
    }

    private static boolean retryable(Throwable failure, Map<Throwable, Boolean> seen) {
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null && RETRYABLE.contains(sql.getSQLState())) {
                    return true;
                }
                if (sql.getNextException() != null && retryable(sql.getNextException(), seen)) {
                    return true;
                }
            }
        }
        return false;
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
