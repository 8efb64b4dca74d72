package io.taskpulse.tasks.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import org.junit.jupiter.api.Test;

/** Which status a failure gets; the response itself (503 + Retry-After + problem body) is checked by DatabaseOutageIT. */
class UnexpectedErrorMapperTest {

    @Test
    void unreachableDatabaseIs503() {
        assertEquals(503, UnexpectedErrorMapper.statusFor(new PersistenceException(
                new SQLException("Connection to 127.0.0.1:5432 refused", "08001"))));
    }

    @Test
    void transactionRolledBackForALockIs503SoTheClientRetries() {
        assertEquals(503, UnexpectedErrorMapper.statusFor(new PersistenceException(
                new SQLTransactionRollbackException("A lock could not be obtained within the time requested", "40XL1"))));
        assertEquals(503, UnexpectedErrorMapper.statusFor(new PersistenceException(
                new SQLException("deadlock detected", "40P01"))));
    }

    @Test
    void anyOtherFailureStays500() {
        assertEquals(500, UnexpectedErrorMapper.statusFor(new PersistenceException(
                new SQLIntegrityConstraintViolationException("duplicate key", "23505"))));
        assertEquals(500, UnexpectedErrorMapper.statusFor(new IllegalStateException("a bug")));
    }
}
