package io.taskpulse.schema.control;

import jakarta.annotation.Resource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Brings the database to the newest schema version. Idempotent: run it as often as you like.
 */
@ApplicationScoped
public class SchemaMigration {

    /** How long a Derby write waits for a row another transaction holds before it is rolled back and tried again. */
    static final int LOCK_WAIT_SECONDS = 10;

    /** Scripts, oldest first. A new version is a new file and a new line here; old files never change. */
    static final List<String> SCRIPTS = List.of("V1__task_feed.sql", "V2__task_history.sql", "V3__change_notifications.sql",
            "V4__task_runs.sql", "V5__task_schedules.sql", "V6__task_tags.sql", "V7__alerts.sql", "V8__task_operators.sql",
            "V9__task_sources.sql");

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());
    /** MariaDB's named lock for migrations, and how long a server waits for another's migration (seconds). */
    static final String MARIADB_LOCK = "taskpulse_schema_migration";
    static final int MARIADB_LOCK_WAIT = 300;

    @Resource(lookup = "java:app/jdbc/taskpulse")
    DataSource dataSource;

    private volatile boolean current;

    /** Runs before every other start-up observer, so that they find the schema in place. */
    void atStartup(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class) Object started) {
        try {
            migrate();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Schema not migrated at start-up; the change poller retries on every tick", e);
        }
    }

    public void migrate() {
        if (current) {
            return;
        }
        synchronized (this) {
            if (current) {
                return;
            }
            long started = System.nanoTime();
            try (Connection connection = dataSource.getConnection()) {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    String dialect = dialectOf(connection.getMetaData());
                    migrate(connection, dialect);
                    if ("derby".equals(dialect)) {
                        compileTriggers(connection);
                        boundLockWaits(connection);
                    }
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
                current = true;
                LOG.log(Level.INFO, "Schema migration step took {0} ms", (System.nanoTime() - started) / 1_000_000);
            } catch (SQLException e) {
                throw new IllegalStateException("database schema could not be brought up to date: " + e.getMessage(), e);
            }
        }
    }

    /**
     * All missing scripts in one transaction that holds an exclusive lock on schema_version, so that servers
     * starting together against one database migrate it once, one after the other.
     */
    private void migrate(Connection connection, String dialect) throws SQLException {
        createVersionTable(connection);
        if ("mariadb".equals(dialect)) {
            migrateMariaDb(connection);
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
            int version;
            try (ResultSet max = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                max.next();
                version = max.getInt(1);
            }
            for (int next = version + 1; next <= SCRIPTS.size(); next++) {
                apply(connection, statement, dialect, next);
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /**
     * MariaDB commits every DDL statement on its own, so neither a table lock (which DDL would release) nor one
     * transaction for all scripts is possible. Servers starting together take a named lock instead (GET_LOCK: held by
     * the session, across those commits), and each script is recorded as soon as it ran. A script that fails half-way
     * leaves what it did: every MariaDB script can run again (IF NOT EXISTS, DROP ... IF EXISTS), so the next start
     * finishes it.
     */
    private void migrateMariaDb(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            try (ResultSet locked = statement.executeQuery("SELECT GET_LOCK('" + MARIADB_LOCK + "', " + MARIADB_LOCK_WAIT + ")")) {
                if (!locked.next() || locked.getInt(1) != 1) {
                    throw new SQLException("another server held the schema lock " + MARIADB_LOCK + " for "
                            + MARIADB_LOCK_WAIT + " s", "HY000");
                }
            }
            try {
                int version;
                try (ResultSet max = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                    max.next();
                    version = max.getInt(1);
                }
                for (int next = version + 1; next <= SCRIPTS.size(); next++) {
                    apply(connection, statement, "mariadb", next);
                }
            } finally {
                try (ResultSet released = statement.executeQuery("SELECT RELEASE_LOCK('" + MARIADB_LOCK + "')")) {
                    released.next();
                }
            }
        }
    }

    /**
     * Derby compiles a trigger's action when the trigger first fires after the statement was invalidated (by a
     * later CREATE TRIGGER or index on its table, by a Derby upgrade, by SYSCS_INVALIDATE_STORED_STATEMENTS), and
     * it writes the new plan and its dependencies into the dictionary (SYSSTATEMENTS, SYSDEPENDS). When the first
     * writes after a start arrive together, every one of them compiles at once, they wait on one another's
     * dictionary locks, and scripts get lock timeouts and deadlocks after 20 s. So each trigger fires once here,
     * before the server takes requests: one task inserted, reported and deleted, in a transaction that is rolled
     * back. The plans stay compiled: Derby stores them in a nested transaction of their own. Costs one identity
     * value per start and a few milliseconds.
     */
    /**
     * Derby looks for a deadlock only once a lock waited {@code derby.locks.deadlockTimeout}, 20 s by default: two
     * reports of one task that deadlock (each reads the task's open runs and meets the other's new run) then held a
     * script for 20 s per attempt, and a few in a row past its 90 s (ConcurrentWritersIT in a CI run). One second
     * makes such a deadlock cost about that before WriteRetry runs the loser again. And a lock wait that is no
     * deadlock Derby can see (its holder waits outside Derby) ends after {@value #LOCK_WAIT_SECONDS} s instead of
     * Derby's 60: the waiter is rolled back with a lock timeout (40XL1), which WriteRetry and the poller run again,
     * and the holder goes on. Without it, one such wait held every write behind it for a minute (FuzzIT, a CI preview
     * on 2026-12-07: valid reports timed out after 30 s). Database properties: they stay with the database, for
     * every later start.
     */
    static void boundLockWaits(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.deadlockTimeout', '1')");
            statement.execute("CALL SYSCS_UTIL.SYSCS_SET_DATABASE_PROPERTY('derby.locks.waitTimeout', '"
                    + LOCK_WAIT_SECONDS + "')");
        }
        connection.commit();
    }

    static void compileTriggers(Connection connection) throws SQLException {
        String name = "taskpulse-start-" + java.util.UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO task (name) VALUES (?)");
             PreparedStatement report = connection.prepareStatement(
                     "UPDATE task SET status = 'FAILED', status_message = 'start' WHERE name = ?");
             PreparedStatement delete = connection.prepareStatement("DELETE FROM task WHERE name = ?")) {
            for (PreparedStatement write : List.of(insert, report, delete)) {
                write.setString(1, name);
                write.executeUpdate();
            }
        } finally {
            connection.rollback();
        }
        try (Statement statement = connection.createStatement();
             ResultSet invalid = statement.executeQuery("SELECT COUNT(*) FROM sys.systriggers t "
                     + "JOIN sys.sysstatements s ON s.stmtid = t.actionstmtid WHERE s.valid = false")) {
            invalid.next();
            if (invalid.getInt(1) > 0) {
                LOG.log(Level.WARNING, "{0} trigger statements are still not compiled after start; the first concurrent "
                        + "writes may wait on one another", invalid.getInt(1));
            }
        } finally {
            connection.rollback();
        }
    }

    private static void createVersionTable(Connection connection) throws SQLException {
        if (tableExists(connection, "schema_version")) {
            return;
        }
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE schema_version (version INT PRIMARY KEY, "
                    + "script VARCHAR(200) NOT NULL, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            connection.commit();
        } catch (SQLException e) {
            // Another server created it first.
            connection.rollback();
            if (!tableExists(connection, "schema_version")) {
                throw e;
            }
        }
    }

    static String dialectOf(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("derby")) {
            return "derby";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        if (product.contains("mariadb")) {
            return "mariadb";
        }
        throw new IllegalStateException("TaskPulse supports Apache Derby, PostgreSQL and MariaDB, not "
                + metaData.getDatabaseProductName());
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String schema = connection.getSchema();
        // MariaDB's databases are JDBC catalogs, and a null catalog means all of them: name the current one.
        String catalog = "mariadb".equals(dialectOf(metaData)) ? connection.getCatalog() : null;
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = metaData.getTables(catalog, schema, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void apply(Connection connection, Statement statement, String dialect, int version) throws SQLException {
        String script = SCRIPTS.get(version - 1);
        String path = "META-INF/schema/" + dialect + "/" + script;
        for (String sql : SqlScript.statements(read(path))) {
            statement.execute(sql);
        }
        try (PreparedStatement record = connection.prepareStatement(
                "INSERT INTO schema_version (version, script) VALUES (?, ?)")) {
            record.setInt(1, version);
            record.setString(2, script);
            record.executeUpdate();
        }
        LOG.log(Level.INFO, "Database schema now at version {0} ({1})", new Object[]{version, path});
    }

    private static String read(String path) {
        try (InputStream in = SchemaMigration.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing schema script " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
