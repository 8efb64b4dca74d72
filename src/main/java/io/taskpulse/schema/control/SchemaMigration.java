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

    /** Scripts, oldest first. A new version is a new file and a new line here; old files never change. */
    static final List<String> SCRIPTS = List.of("V1__task_feed.sql", "V2__task_history.sql", "V3__change_notifications.sql");

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

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
                    migrate(connection, dialectOf(connection.getMetaData()));
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
        throw new IllegalStateException("TaskPulse supports Apache Derby and PostgreSQL, not " + metaData.getDatabaseProductName());
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String schema = connection.getSchema();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = metaData.getTables(null, schema, name, null)) {
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
