package io.taskpulse.schema.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.configuration.TaskPulseDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.TimeZone;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The MariaDB scripts and TaskPulse's MariaDB connections, on the real MariaDB the ITs use ({@code -Pmariadb}), in a
 * database of their own ({@code <it database>_schema}, dropped afterwards). What SchemaMigrationTest proves on Derby,
 * plus what only MariaDB needs: triggers that tell a change by values, and times that no time zone moves.
 */
@EnabledIf("onMariaDb")
class MariaDbSchemaIT {

    private static final String IT_URL = System.getProperty("it.db.url", "");
    private static final String USER = System.getProperty("it.db.user", "root");
    private static String url;
    private static String database;
    private static TimeZone jvmZone;
    private static TaskPulseDataSource dataSource;

    static boolean onMariaDb() {
        return IT_URL.startsWith("jdbc:mariadb:");
    }

    @BeforeAll
    static void freshDatabase() throws SQLException {
        String base = IT_URL.replaceAll("\\?.*", "");
        database = base.substring(base.lastIndexOf('/') + 1) + "_schema";
        url = base.substring(0, base.lastIndexOf('/') + 1) + database;
        try (Connection server = DriverManager.getConnection(base.substring(0, base.lastIndexOf('/') + 1), USER, "");
             Statement statement = server.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
            statement.execute("CREATE DATABASE " + database);
        }
        // A server whose JVM runs far from UTC: TaskPulse's connections must still write and read UTC.
        jvmZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
        System.setProperty("taskpulse.db.url", url);
        System.setProperty("taskpulse.db.user", USER);
        dataSource = new TaskPulseDataSource();
        SchemaMigration migration = new SchemaMigration();
        migration.dataSource = dataSource;
        migration.migrate();
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TimeZone.setDefault(jvmZone);
        System.clearProperty("taskpulse.db.url");
        System.clearProperty("taskpulse.db.user");
        try (Connection connection = other(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database);
        }
    }

    @Test
    void migrationRecordsEveryScriptOnceAndRunsAScriptAgainAfterItFailedHalfWay() throws SQLException {
        // As if the last script had failed after some statements: MariaDB kept them, the version was not recorded.
        update("DELETE FROM schema_version WHERE version = " + SchemaMigration.SCRIPTS.size());
        SchemaMigration again = new SchemaMigration();
        again.dataSource = dataSource;
        again.migrate();

        assertEquals(SchemaMigration.SCRIPTS.size(), number("SELECT COUNT(*) FROM schema_version"));
        assertEquals(2, number("SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE() "
                + "AND event_object_table = 'task' AND action_timing = 'BEFORE' AND event_manipulation = 'UPDATE'"));
    }

    @Test
    void sqlStatusUpdateMarksTheTaskPendingAndTheStamperDoesNot() throws SQLException {
        String name = task();
        stamp(name, 41);
        update("UPDATE task SET status = 'FAILED' WHERE name = '" + name + "'");
        assertNull(value("SELECT revision FROM task WHERE name = '" + name + "'"));

        stamp(name, 42);
        assertEquals(42L, number("SELECT revision FROM task WHERE name = '" + name + "'"));
    }

    /** TaskPulse's repeated report (Task.TOUCH) changes no value: it still is news, as UPDATE OF status is on PostgreSQL. */
    @Test
    void updateThatChangesNoValueMarksTheTaskAndRecordsTheReportAgain() throws SQLException {
        String name = task();
        stamp(name, 7);
        long history = number("SELECT COUNT(*) FROM task_history h JOIN task t ON t.id = h.task_id WHERE t.name = '" + name + "'");

        update("UPDATE task SET status = status WHERE name = '" + name + "'");

        assertNull(value("SELECT revision FROM task WHERE name = '" + name + "'"));
        assertEquals(history + 1,
                number("SELECT COUNT(*) FROM task_history h JOIN task t ON t.id = h.task_id WHERE t.name = '" + name + "'"));
    }

    @Test
    void bookkeepingColumnsAloneAreNoChangeAndADescriptionIsNoReport() throws SQLException {
        String name = task();
        stamp(name, 9);
        update("UPDATE task SET timeout_at = UTC_TIMESTAMP(6), overdue_at = UTC_TIMESTAMP(6) WHERE name = '" + name + "'");
        assertEquals(9L, number("SELECT revision FROM task WHERE name = '" + name + "'"));

        long history = number("SELECT COUNT(*) FROM task_history h JOIN task t ON t.id = h.task_id WHERE t.name = '" + name + "'");
        update("UPDATE task SET description = 'nightly' WHERE name = '" + name + "'");
        assertNull(value("SELECT revision FROM task WHERE name = '" + name + "'"));
        assertEquals(history,
                number("SELECT COUNT(*) FROM task_history h JOIN task t ON t.id = h.task_id WHERE t.name = '" + name + "'"));
    }

    @Test
    void deleteLeavesAPendingTombstoneAndUnknownStatusOrDuplicateNameIsRefused() throws SQLException {
        String name = task();
        long id = number("SELECT id FROM task WHERE name = '" + name + "'");
        update("DELETE FROM task WHERE id = " + id);
        assertNull(value("SELECT revision FROM task_tombstone WHERE task_id = " + id));

        String other = task();
        assertThrows(SQLException.class, () -> update("UPDATE task SET status = 'DONE' WHERE name = '" + other + "'"));
        assertThrows(SQLException.class, () -> update("INSERT INTO task (name) VALUES ('" + other + "')"));
        // Names compare as on PostgreSQL: case and trailing spaces make another name.
        update("INSERT INTO task (name) VALUES ('" + other.toUpperCase() + "')");
        update("INSERT INTO task (name) VALUES ('" + other + " ')");
    }

    /** The JVM runs in Tokyo (see freshDatabase): what TaskPulse writes is stored, and read back, as UTC. */
    @Test
    void timesTaskPulseWritesAreStoredInUtcWhateverTheJvmTimeZone() throws SQLException {
        String name = task();
        Instant start = Instant.parse("2026-03-29T01:30:00.123456Z");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement write = connection.prepareStatement("UPDATE task SET running_since = ? WHERE name = ?")) {
            write.setTimestamp(1, Timestamp.from(start));
            write.setString(2, name);
            assertEquals(1, write.executeUpdate());
        }
        assertEquals("2026-03-29 01:30:00.123456",
                value("SELECT DATE_FORMAT(running_since, '%Y-%m-%d %H:%i:%s.%f') FROM task WHERE name = '" + name + "'"));
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet read = statement.executeQuery("SELECT running_since FROM task WHERE name = '" + name + "'")) {
            assertTrue(read.next());
            assertEquals(start, read.getTimestamp(1).toInstant());
        }
    }

    /** A script whose session runs in another time zone still leaves a UTC changed_at: the trigger writes it. */
    @Test
    void aWriterInAnotherSessionTimeZoneLeavesAUtcChangeTime() throws SQLException {
        String name = task();
        try (Connection connection = other(); Statement statement = connection.createStatement()) {
            statement.execute("SET time_zone = '+09:00'");
            Timestamp before = utcNow(statement);
            statement.executeUpdate("UPDATE task SET status = 'SUCCEEDED' WHERE name = '" + name + "'");
            Timestamp after = utcNow(statement);
            try (ResultSet changed = statement.executeQuery("SELECT changed_at FROM task WHERE name = '" + name + "'")) {
                assertTrue(changed.next());
                Timestamp at = changed.getTimestamp(1);
                assertTrue(!at.before(before) && !at.after(after), before + " <= " + at + " <= " + after);
            }
        }
    }

    private static Timestamp utcNow(Statement statement) throws SQLException {
        try (ResultSet now = statement.executeQuery("SELECT UTC_TIMESTAMP(6)")) {
            now.next();
            return now.getTimestamp(1);
        }
    }

    private static String task() throws SQLException {
        String name = "t-" + UUID.randomUUID();
        update("INSERT INTO task (name) VALUES ('" + name + "')");
        return name;
    }

    /** What the stamper's UPDATE amounts to: the revision column only. */
    private static void stamp(String name, long revision) throws SQLException {
        update("UPDATE task SET revision = " + revision + " WHERE name = '" + name + "'");
    }

    /** Another program's connection: plain driver defaults, the session's own time zone. */
    private static Connection other() throws SQLException {
        return DriverManager.getConnection(url, USER, "");
    }

    private static void update(String sql) throws SQLException {
        try (Connection connection = other(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static Object value(String sql) throws SQLException {
        try (Connection connection = other(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next(), "no row for " + sql);
            return result.getObject(1);
        }
    }

    private static long number(String sql) throws SQLException {
        Object value = value(sql);
        assertNotNull(value, sql);
        return ((Number) value).longValue();
    }
}
