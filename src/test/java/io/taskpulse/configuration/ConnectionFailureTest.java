package io.taskpulse.configuration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.transaction.TransactionalException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class ConnectionFailureTest {

    @Test
    void refusedConnectionDeepInsideTheServersWrappersIsAConnectionFailure() {
        SQLException driver = new SQLException("Connection to 127.0.0.1:5432 refused", "08001", new ConnectException("refused"));
        RuntimeException wrapped = new PersistenceException("Exception [EclipseLink-4002]",
                new RuntimeException("DatabaseException", new SQLException("Error in allocating a connection", driver)));

        assertTrue(ConnectionFailure.in(wrapped));
        assertTrue(ConnectionFailure.in(new TransactionalException("commit failed", wrapped)));
    }

    @Test
    void connectionExceptionClassesAndTheirStatesAreConnectionFailures() {
        assertTrue(ConnectionFailure.in(new SQLTransientConnectionException("pool timed out")));
        assertTrue(ConnectionFailure.in(new SQLException("I/O error sending to the backend", "08006")));
        assertTrue(ConnectionFailure.in(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(ConnectionFailure.in(new SQLException("the database system is starting up", "57P03")));
    }

    @Test
    void poolThatCannotHandOutAConnectionInTimeIsAConnectionFailure() {
        assertTrue(ConnectionFailure.in(new PersistenceException(new SQLException("Error in allocating a connection",
                new ResourceAllocationException("In-use connections equal max-pool-size and expired max-wait-time")))));
    }

    @Test
    void chainedNextExceptionIsLookedAtToo() {
        SQLException batch = new SQLException("batch failed", "XX000");
        batch.setNextException(new SQLException("connection lost", "08003"));

        assertTrue(ConnectionFailure.in(batch));
    }

    @Test
    void otherDatabaseErrorsAndBugsAreNot() {
        assertFalse(ConnectionFailure.in(new PersistenceException(
                new SQLIntegrityConstraintViolationException("duplicate key", "23505"))));
        assertFalse(ConnectionFailure.in(new SQLException("syntax error", "42601")));
        assertFalse(ConnectionFailure.in(new SQLException("no state")));
        assertFalse(ConnectionFailure.in(new NullPointerException()));
    }

    /** MariaDB: a deadlock is 40001, a lock wait timeout error 1205 with SQLState HY000; a duplicate name is neither. */
    @Test
    void mariaDbDeadlockAndLockWaitTimeoutAreBusyNotUnreachable() {
        SQLException deadlock = new SQLException("Deadlock found when trying to get lock", "40001", 1213);
        SQLException lockWait = new SQLException("Lock wait timeout exceeded; try restarting transaction", "HY000", 1205);

        assertTrue(ConnectionFailure.busy(new PersistenceException(deadlock)));
        assertTrue(ConnectionFailure.busy(new PersistenceException(lockWait)));
        assertFalse(ConnectionFailure.in(lockWait));
        assertFalse(ConnectionFailure.busy(new SQLException("Duplicate entry 'x' for key 'task_name_unique'", "23000", 1062)));
    }

    @Test
    void causeLoopEnds() {
        SQLException first = new SQLException("first", "XX000");
        SQLException second = new SQLException("second", "XX000", first);
        first.setNextException(second);

        assertFalse(ConnectionFailure.in(second));
    }
}
