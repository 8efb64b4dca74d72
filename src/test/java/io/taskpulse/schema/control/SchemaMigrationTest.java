package io.taskpulse.schema.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The schema script and its triggers, on a real (in-memory) Derby: what every writer of the tables relies on. */
class SchemaMigrationTest {

    private static final String INVALID_TRIGGERS = "SELECT COUNT(*) FROM sys.systriggers t "
            + "JOIN sys.sysstatements s ON s.stmtid = t.actionstmtid WHERE s.valid = false";

    private EmbeddedDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = SchemaMigrationAccess.freshDerby();
    }

    /**
     * The version a database records is the script's position in the list: a script listed out of its number's place
     * (as happened while two branches each added a V6) would run under the wrong version and break every database
     * migrated before the fix. Every dialect also has every script.
     */
    @Test
    void everyScriptIsListedAtItsOwnVersionForEveryDatabase() {
        for (int version = 1; version <= SchemaMigration.SCRIPTS.size(); version++) {
            String script = SchemaMigration.SCRIPTS.get(version - 1);
            assertTrue(script.startsWith("V" + version + "__"), script + " is listed as version " + version);
            for (String dialect : List.of("derby", "postgresql", "mariadb")) {
                assertNotNull(getClass().getClassLoader().getResource("META-INF/schema/" + dialect + "/" + script),
                        dialect + " has no " + script);
            }
        }
    }

    @Test
    void migrationRecordsEveryScriptOnceAndIsIdempotent() throws SQLException {
        new SchemaMigration() {{ dataSource = SchemaMigrationTest.this.dataSource; }}.migrate();

        assertEquals(SchemaMigration.SCRIPTS.size(), number("SELECT COUNT(*) FROM schema_version"));
        assertEquals(SchemaMigration.SCRIPTS.size(), number("SELECT MAX(version) FROM schema_version"));
    }

    /**
     * Derby compiles a trigger's statement on its first firing after it was invalidated; concurrent first writes
     * then compile it together and deadlock on the dictionary. A start leaves every one compiled, and nothing else.
     */
    @Test
    void startLeavesEveryTriggerCompiledAndNoRowsBehind() throws SQLException {
        assertEquals(0L, number(INVALID_TRIGGERS));
        assertEquals(0L, number("SELECT COUNT(*) FROM task"));
        assertEquals(0L, number("SELECT COUNT(*) FROM task_history"));
        assertEquals(0L, number("SELECT COUNT(*) FROM task_tombstone"));
    }

    /**
     * A deadlock is looked for after a second, and a lock wait Derby cannot see as one ends after ten, not Derby's
     * 20 and 60: both are rolled back and run again by WriteRetry instead of holding every write behind them.
     */
    @Test
    void derbyLooksForDeadlocksAfterASecondAndGivesUpALockWaitAfterTen() throws SQLException {
        assertEquals("1", value("VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY('derby.locks.deadlockTimeout')"));
        assertEquals("10", value("VALUES SYSCS_UTIL.SYSCS_GET_DATABASE_PROPERTY('derby.locks.waitTimeout')"));
    }

    /** What a Derby upgrade does to stored statements: the next start compiles them again. */
    @Test
    void startAfterDerbyInvalidatedItsStoredStatementsCompilesTheTriggersAgain() throws SQLException {
        execute("CALL SYSCS_UTIL.SYSCS_INVALIDATE_STORED_STATEMENTS()");
        assertEquals(5L, number(INVALID_TRIGGERS));

        new SchemaMigration() {{ dataSource = SchemaMigrationTest.this.dataSource; }}.migrate();

        assertEquals(0L, number(INVALID_TRIGGERS));
    }

    @Test
    void insertedTaskIsPendingAndNotRun() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");

        assertNull(value("SELECT revision FROM task WHERE name = 'backup'"));
        assertEquals("NOT_RUN", value("SELECT status FROM task WHERE name = 'backup'"));
    }

    @Test
    void plainSqlStatusUpdateMarksTheTaskPendingAgain() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");
        execute("UPDATE task SET revision = 7 WHERE name = 'backup'");
        assertEquals(7L, number("SELECT revision FROM task WHERE name = 'backup'"));

        execute("UPDATE task SET status = 'FAILED' WHERE name = 'backup'");

        assertNull(value("SELECT revision FROM task WHERE name = 'backup'"));
    }

    @Test
    void stampingTheRevisionDoesNotRetriggerAChange() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");

        execute("UPDATE task SET revision = 1 WHERE name = 'backup'");

        assertEquals(1L, number("SELECT revision FROM task WHERE name = 'backup'"));
    }

    @Test
    void deleteByAnyWriterLeavesAPendingTombstone() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");
        long id = number("SELECT id FROM task WHERE name = 'backup'");

        execute("DELETE FROM task WHERE id = " + id);

        assertEquals(1L, number("SELECT COUNT(*) FROM task_tombstone WHERE task_id = " + id + " AND revision IS NULL"));
    }

    @Test
    void unknownStatusAndDuplicateNameAreRefusedByTheDatabaseToo() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");

        assertThrows(SQLException.class, () -> execute("UPDATE task SET status = 'MAYBE' WHERE name = 'backup'"));
        SQLException duplicate = assertThrows(SQLException.class, () -> execute("INSERT INTO task (name) VALUES ('backup')"));
        assertEquals("23505", duplicate.getSQLState());
    }

    @Test
    void everyStatusGivenByAnyWriterIsKeptInTheHistory() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");
        long id = number("SELECT id FROM task WHERE name = 'backup'");

        execute("UPDATE task SET status = 'FAILED', status_message = 'disk full' WHERE id = " + id);
        execute("UPDATE task SET status = 'FAILED' WHERE id = " + id);
        execute("UPDATE task SET description = 'not a status change' WHERE id = " + id);

        assertEquals(3L, number("SELECT COUNT(*) FROM task_history WHERE task_id = " + id));
        assertEquals(2L, number("SELECT COUNT(*) FROM task_history WHERE task_id = " + id + " AND status_message = 'disk full'"));
    }

    @Test
    void deletingATaskDropsItsHistory() throws SQLException {
        execute("INSERT INTO task (name) VALUES ('backup')");
        long id = number("SELECT id FROM task WHERE name = 'backup'");

        execute("DELETE FROM task WHERE id = " + id);

        assertEquals(0L, number("SELECT COUNT(*) FROM task_history WHERE task_id = " + id));
    }

    @Test
    void clockStartsAtRevisionZero() throws SQLException {
        assertEquals(0L, number("SELECT revision FROM feed_clock WHERE id = 1"));
        assertEquals(0L, number("SELECT horizon FROM feed_clock WHERE id = 1"));
    }

    @Test
    void scriptSplitterKeepsDollarQuotedBodiesWhole() {
        List<String> statements = SqlScript.statements("""
                -- comment; with a semicolon
                CREATE TABLE a (id INT);
                CREATE FUNCTION f() RETURNS trigger AS $$
                BEGIN
                    NEW.revision := NULL;
                    RETURN NEW;
                END;
                $$ LANGUAGE plpgsql;
                """);

        assertEquals(2, statements.size());
        assertEquals("CREATE TABLE a (id INT)", statements.get(0));
        assertTrue(statements.get(1).contains("RETURN NEW;") && statements.get(1).endsWith("LANGUAGE plpgsql"));
    }

    @Test
    void scriptSplitterKeepsMariaDbCompoundStatementsWhole() {
        List<String> statements = SqlScript.statements("""
                DROP TRIGGER IF EXISTS t;
                CREATE TRIGGER t
                    BEFORE UPDATE ON task
                    FOR EACH ROW
                BEGIN
                    IF NEW.status <=> OLD.status THEN
                        SET NEW.revision = NULL;
                    END IF;
                END;
                CREATE INDEX i ON task (revision);
                """);

        assertEquals(3, statements.size());
        assertTrue(statements.get(1).contains("END IF;") && statements.get(1).endsWith("END"), statements.get(1));
        assertEquals("CREATE INDEX i ON task (revision)", statements.get(2));
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private Object value(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next(), "no row for " + sql);
            return result.getObject(1);
        }
    }

    private long number(String sql) throws SQLException {
        Object value = value(sql);
        assertNotNull(value, sql);
        return ((Number) value).longValue();
    }
}
