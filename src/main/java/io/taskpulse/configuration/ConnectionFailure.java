package io.taskpulse.configuration;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tells a failure that means "the database cannot be reached" from every other failure. Only these become
 * 503 + Retry-After for the API and "database unavailable" for the feed; a bug or a broken rule stays what it is.
 * <p>
 * Looks through the whole cause chain (and each SQLException's next exceptions), since the servers wrap the
 * driver's exception in their own (EclipseLink's DatabaseException, the pool's allocation failure, JTA's
 * TransactionalException). A connection failure is:
 * <ul>
 * <li>an {@link SQLTransientConnectionException} or {@link SQLNonTransientConnectionException};</li>
 * <li>any SQLException of SQLState class {@code 08} (connection exception), or {@code 57P01}..{@code 57P03}
 * (PostgreSQL shutting down, crashed, or not yet accepting connections after a restart);</li>
 * <li>a connection pool that could not hand out a connection in time (the JCA {@code ResourceAllocationException}
 * of Payara's pool), named by class so that this needs no Connector API at run time.</li>
 * </ul>
 */
public final class ConnectionFailure {

    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");
    /** MariaDB's "Lock wait timeout exceeded" (SQLState HY000). */
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    private static final String POOL_TIMEOUT = "jakarta.resource.spi.ResourceAllocationException";

    private ConnectionFailure() {
    }

    /** Whether the database could not be reached, anywhere in the failure's causes. */
    public static boolean in(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        return in(failure, seen);
    }

    /**
     * Whether the database rolled the transaction back to break a lock wait or a deadlock (SQLState class 40:
     * Derby's 40XL1 lock timeout, 40001 deadlock, PostgreSQL's 40001/40P01, MariaDB's 40001 deadlock), or MariaDB gave
     * up waiting for a row lock (error 1205, SQLState HY000: see WriteRetry). Nothing was written; the same request
     * will most likely succeed when sent again.
     */
    public static boolean busy(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransactionRollbackException
                    || t instanceof SQLException sql && (sql.getSQLState() != null && sql.getSQLState().startsWith("40")
                            || sql.getErrorCode() == MARIADB_LOCK_WAIT_TIMEOUT)) {
                return true;
            }
        }
        return false;
    }

    private static boolean in(Throwable failure, Map<Throwable, Boolean> seen) {
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (POOL_TIMEOUT.equals(t.getClass().getName())) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || SERVER_GOING_AWAY.contains(state))) {
                    return true;
                }
                if (sql.getNextException() != null && in(sql.getNextException(), seen)) {
                    return true;
                }
            }
        }
        return false;
    }
}
