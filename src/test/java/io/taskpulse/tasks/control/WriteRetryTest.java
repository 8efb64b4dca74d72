package io.taskpulse.tasks.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteRetryTest {

    private final WriteRetry retry = new WriteRetry();
    private final List<Long> pauses = new ArrayList<>();

    @BeforeEach
    void noRealWaiting() {
        retry.metrics = new Metrics();
        retry.pause = pauses::add;
    }

    @Test
    void deadlocksAndLockTimeoutsOfDerbyAndPostgreSqlAreRetried() {
        for (String state : List.of("40001", "40XL1", "40XL2", "40P01")) {
            assertTrue(WriteRetry.retryable(wrapped(state)), state);
        }
    }

    /** MariaDB's deadlock is 40001 (error 1213); its lock wait timeout is error 1205 with the general SQLState HY000. */
    @Test
    void deadlocksAndLockWaitTimeoutsOfMariaDbAreRetried() {
        assertTrue(WriteRetry.retryable(new PersistenceException(new SQLException("Deadlock found", "40001", 1213))));
        assertTrue(WriteRetry.retryable(new PersistenceException(
                new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205))));
        assertFalse(WriteRetry.retryable(new PersistenceException(new SQLException("Duplicate entry", "23000", 1062))));
    }

    @Test
    void otherFailuresAreNotRetried() {
        for (String state : List.of("23505", "08006", "57P01", "40XD0", "42X05")) {
            assertFalse(WriteRetry.retryable(wrapped(state)), state);
        }
        assertFalse(WriteRetry.retryable(TaskRejected.invalid("no")));
    }

    /**
     * The pool's "Error in allocating a connection" while the database is away has no SQLState: that is a failure to
     * reach the database (503), not a reason to throw (DatabaseOutageIT got a 500 from a NullPointerException here).
     */
    @Test
    void aFailureWithoutSqlStateIsNotRetriedAndDoesNotThrow() {
        assertFalse(WriteRetry.retryable(new PersistenceException(new SQLException("Error in allocating a connection"))));
    }

    @Test
    void aLockTimeoutFoundAmongNextExceptionsIsRetried() {
        SQLException batch = new SQLException("batch failed", "XJ208");
        batch.setNextException(new SQLException("lock timeout", "40XL1"));
        assertTrue(WriteRetry.retryable(new PersistenceException(batch)));
    }

    @Test
    void writeRolledBackTwiceSucceedsOnTheThirdAttemptAndCountsTwoRetries() {
        AtomicInteger attempts = new AtomicInteger();

        String result = retry.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw wrapped("40001");
            }
            return "written";
        });

        assertEquals("written", result);
        assertEquals(3, attempts.get());
        assertEquals(2, retry.metrics.writeRetries());
        assertEquals(2, pauses.size());
        assertTrue(pauses.get(0) >= 1 && pauses.get(0) <= WriteRetry.FIRST_PAUSE_MILLIS, "pause " + pauses);
        assertTrue(pauses.get(1) >= 1 && pauses.get(1) <= 2 * WriteRetry.FIRST_PAUSE_MILLIS, "pause " + pauses);
    }

    @Test
    void databaseThatStaysBusyFailsAfterTheLastAttemptWithItsOwnFailure() {
        AtomicInteger attempts = new AtomicInteger();
        RuntimeException busy = wrapped("40XL1");

        RuntimeException failure = assertThrows(RuntimeException.class, () -> retry.call(() -> {
            attempts.incrementAndGet();
            throw busy;
        }));

        assertSame(busy, failure);
        assertEquals(WriteRetry.ATTEMPTS, attempts.get());
        assertEquals(WriteRetry.ATTEMPTS - 1, retry.metrics.writeRetries());
    }

    @Test
    void rejectedWriteIsNotRunAgain() {
        AtomicInteger attempts = new AtomicInteger();

        assertThrows(TaskRejected.class, () -> retry.call(() -> {
            attempts.incrementAndGet();
            throw TaskRejected.duplicate("exists");
        }));

        assertEquals(1, attempts.get());
        assertEquals(0, retry.metrics.writeRetries());
    }

    private static RuntimeException wrapped(String sqlState) {
        SQLException sql = sqlState.startsWith("40")
                ? new SQLTransactionRollbackException("rolled back", sqlState)
                : new SQLException("failed", sqlState);
        return new PersistenceException(new RuntimeException("EclipseLink", sql));
    }

    /** Which of the ids the database no longer has, as Tasks.anyGone would answer after the failed attempt. */
    private static Tasks deleted(Long... gone) {
        return new Tasks() {
            @Override
            public boolean anyGone(Collection<Long> ids) {
                return ids.stream().anyMatch(List.of(gone)::contains);
            }
        };
    }

    @Test
    void aWriteWhoseTaskWasDeletedMeanwhileRunsOnceMoreAfterTheDeletion() {
        retry.tasks = deleted(7L);
        AtomicInteger attempts = new AtomicInteger();

        String result = retry.callAgainIfGone(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new PersistenceException("UPDATE met no row");
            }
            return "answered as after the deletion";
        }, () -> List.of(7L));

        assertEquals("answered as after the deletion", result);
        assertEquals(2, attempts.get());
    }

    @Test
    void aFailedWriteWhoseTasksAllStillExistFailsWithItsOwnFailureAndIsNotRunAgain() {
        retry.tasks = deleted(8L);
        AtomicInteger attempts = new AtomicInteger();
        RuntimeException broken = new PersistenceException("a real failure");

        RuntimeException failure = assertThrows(RuntimeException.class, () -> retry.callAgainIfGone(() -> {
            attempts.incrementAndGet();
            throw broken;
        }, () -> List.of(7L)));

        assertSame(broken, failure);
        assertEquals(1, attempts.get());
    }

    @Test
    void aWriteThatFoundNoTaskOrWasRefusedIsNotRunAgain() {
        retry.tasks = deleted(7L);
        AtomicInteger attempts = new AtomicInteger();

        assertThrows(PersistenceException.class, () -> retry.callAgainIfGone(() -> {
            attempts.incrementAndGet();
            throw new PersistenceException("a create that failed");
        }, List::of));
        assertThrows(TaskRejected.class, () -> retry.callAgainIfGone(() -> {
            attempts.incrementAndGet();
            throw TaskRejected.conflict("refused");
        }, () -> List.of(7L)));

        assertEquals(2, attempts.get());
    }

    @Test
    void whenTheSecondRunFailsTooItsFailureCarriesTheFirst() {
        retry.tasks = deleted(7L);
        RuntimeException first = new PersistenceException("UPDATE met no row");
        RuntimeException second = new PersistenceException("database went away");
        AtomicInteger attempts = new AtomicInteger();

        RuntimeException failure = assertThrows(RuntimeException.class, () -> retry.callAgainIfGone(() -> {
            throw attempts.incrementAndGet() == 1 ? first : second;
        }, () -> List.of(7L)));

        assertSame(second, failure);
        assertEquals(List.of(first), List.of(failure.getSuppressed()));
    }
}
