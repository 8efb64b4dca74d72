package io.taskpulse.schema.control;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Brings the database to the newest schema version with Liquibase ({@code META-INF/schema/changelog.xml}).
 * Idempotent: run it as often as you like.
 */
@ApplicationScoped
public class SchemaMigration {

    static final String CHANGELOG = "META-INF/schema/changelog.xml";

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

    /**
     * Liquibase OSS sends anonymous usage analytics by default (since 4.30): never from a user's server. Its console
     * output goes to the log instead of System.out.
     */
    private static final Map<String, Object> QUIET = Map.of(
            AnalyticsArgs.ENABLED.getKey(), false,
            Scope.Attr.ui.name(), new LoggerUIService());

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
                try {
                    Scope.child(QUIET, () -> update(connection));
                } finally {
                    connection.setAutoCommit(autoCommit); // Liquibase turns it off; the pool gets the connection back as it was
                }
                current = true;
                LOG.log(Level.INFO, "Schema migration step took {0} ms", (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                throw new IllegalStateException("database schema could not be brought up to date: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Each missing changeSet in a transaction of its own, while this server holds Liquibase's lock row
     * (DATABASECHANGELOGLOCK), so that servers starting together against one database migrate it once.
     */
    private void update(Connection connection) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        if (!database.getShortName().equals("derby") && !database.getShortName().equals("postgresql")) {
            throw new IllegalStateException("TaskPulse supports Apache Derby and PostgreSQL, not " + database.getDatabaseProductName());
        }
        Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(SchemaMigration.class.getClassLoader()), database);
        liquibase.update(new Contexts(), new LabelExpression());
    }
}
