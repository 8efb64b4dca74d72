package io.taskpulse.sources.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.sources.entity.Source;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The configured source tables and what became of each: installed (with the table as the database knows it), or
 * not, and why. Installs at start, after the schema migration and before the change poller's first read; uninstalls
 * what is recorded in {@code task_source} but no longer configured. A source whose settings or table are wrong is
 * not installed (nothing half-installed), is logged once with what to fix, and makes {@code /health} DOWN with that
 * message; TaskPulse's own tasks keep working. A failure that is not the settings' (the database away) is tried
 * again every {@value #RETRY_SECONDS} s.
 */
@ApplicationScoped
public class Sources {

    static final int RETRY_SECONDS = 30;
    private static final Logger LOG = Logger.getLogger(Sources.class.getName());

    @Resource(lookup = "java:app/jdbc/taskpulse")
    DataSource dataSource;

    @Resource
    ManagedScheduledExecutorService scheduler;

    /** By source name, in the settings' order. */
    private final Map<String, State> states = new LinkedHashMap<>();
    private volatile SourceDialect dialect;
    private ScheduledFuture<?> retry;

    /** One source's state: installed ({@code resolved} set), or a problem to fix. */
    public record State(String name, boolean installed, String problem, Instant at, SourceDialect.Resolved resolved) {

        /** SCHEMA.TABLE as the database knows it; null when not installed. */
        public String table() {
            return resolved == null ? null : resolved.schema() + "." + resolved.table();
        }

        public Optional<Source> source() {
            return Optional.ofNullable(resolved).map(SourceDialect.Resolved::source);
        }
    }

    void atStartup(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) @Initialized(ApplicationScoped.class) Object started) {
        installAll();
    }

    /** Installs every configured source not installed yet, and removes those no longer configured. */
    synchronized void installAll() {
        List<Source> configured;
        try {
            configured = Source.fromSettings(Settings::setting);
        } catch (Source.Invalid e) {
            states.put("(settings)", new State("(settings)", false, e.getMessage(), Instant.now(), null));
            LOG.log(Level.SEVERE, "Source tables not installed: {0}", e.getMessage());
            return;
        }
        if (configured.isEmpty() && states.isEmpty() && !anyRecorded()) {
            return;
        }
        boolean again = false;
        try (Connection connection = dataSource.getConnection()) {
            dialect = SourceDialect.of(connection.getMetaData().getDatabaseProductName());
            for (Source source : configured) {
                State now = states.get(source.name());
                if (now != null && now.installed()) {
                    continue;
                }
                states.put(source.name(), install(connection, source));
                again |= !states.get(source.name()).installed() && states.get(source.name()).problem().startsWith("database: ");
            }
            if (dialect != null) {
                removeUnconfigured(connection, configured);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Source tables not installed yet, the database did not answer: {0}", e.toString());
            for (Source source : configured) {
                states.putIfAbsent(source.name(), new State(source.name(), false, "database: " + e.getMessage(), Instant.now(), null));
            }
            again = true;
        }
        if (again && retry == null) {
            retry = scheduler.scheduleWithFixedDelay(this::retry, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void retry() {
        boolean pending = states.values().stream().anyMatch(s -> !s.installed() && s.problem().startsWith("database: "));
        if (!pending) {
            synchronized (this) {
                retry.cancel(false);
                retry = null;
            }
            return;
        }
        states.values().removeIf(s -> !s.installed() && s.problem().startsWith("database: "));
        installAll();
    }

    private State install(Connection connection, Source source) {
        if (dialect == null) {
            return failed(source.name(), "source " + source.name() + ": source tables need PostgreSQL or MariaDB (taskpulse.db.url);"
                    + " another application cannot write TaskPulse's embedded Derby database");
        }
        try {
            SourceDialect.Resolved resolved = dialect.resolve(connection, source);
            dialect.install(connection, resolved);
            LOG.log(Level.INFO, "Source {0} installed on {1}.{2}: its rows are tasks on every board",
                    new Object[]{source.name(), resolved.schema(), resolved.table()});
            return new State(source.name(), true, null, Instant.now(), resolved);
        } catch (Source.Invalid e) {
            return failed(source.name(), e.getMessage());
        } catch (SQLException e) {
            String denied = denied(e);
            if (denied != null) {
                return failed(source.name(), "source " + source.name() + ": " + denied + "; " + grantAdvice(source));
            }
            if (e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57"))) {
                return new State(source.name(), false, "database: " + e.getMessage(), Instant.now(), null);
            }
            return failed(source.name(), "source " + source.name() + ": installing the triggers on " + source.table()
                    + " failed, nothing was left installed: " + e.getMessage());
        }
    }

    private static State failed(String name, String problem) {
        LOG.log(Level.SEVERE, "Source {0} not installed: {1}", new Object[]{name, problem});
        return new State(name, false, problem, Instant.now(), null);
    }

    /** What to grant, for a refusal's message. */
    static String grantAdvice(Source source) {
        String table = (source.schema() == null ? "" : source.schema() + ".") + source.table();
        return "TaskPulse's database user needs SELECT and TRIGGER on " + table + (source.writable() ? " and UPDATE" : "")
                + ": GRANT SELECT, TRIGGER" + (source.writable() ? ", UPDATE" : "") + " ON " + table + " TO <its user>";
    }

    /** PostgreSQL's 42501, MariaDB's 1142/1044/1227 (command denied): the message, or null for other failures. */
    static String denied(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("42501".equals(sql.getSQLState()) || sql.getErrorCode() == 1142
                    || sql.getErrorCode() == 1044 || sql.getErrorCode() == 1227)) {
                return sql.getMessage();
            }
        }
        return null;
    }

    private boolean anyRecorded() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet any = statement.executeQuery("SELECT COUNT(*) FROM task_source")) {
            return any.next() && any.getLong(1) > 0;
        } catch (SQLException e) {
            return false;
        }
    }

    private void removeUnconfigured(Connection connection, List<Source> configured) throws SQLException {
        Map<String, String> recorded = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, target FROM task_source")) {
            while (rows.next()) {
                recorded.put(rows.getString(1), rows.getString(2));
            }
        }
        for (Map.Entry<String, String> installed : recorded.entrySet()) {
            if (configured.stream().noneMatch(s -> s.name().equals(installed.getKey()))) {
                dialect.uninstall(connection, installed.getKey(), installed.getValue());
                LOG.log(Level.INFO, "Source {0} is no longer in the settings: its triggers on {1} and its tasks were removed",
                        new Object[]{installed.getKey(), installed.getValue()});
            }
        }
    }

    /**
     * Removes a source's triggers and tasks now (they come back at the next start while the source stays in the
     * settings).
     *
     * @return false when no source of that name is installed
     */
    public synchronized boolean uninstall(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            SourceDialect current = dialect != null ? dialect : SourceDialect.of(connection.getMetaData().getDatabaseProductName());
            if (current == null) {
                return false;
            }
            String target = null;
            try (java.sql.PreparedStatement find = connection.prepareStatement("SELECT target FROM task_source WHERE name = ?")) {
                find.setString(1, name);
                try (ResultSet row = find.executeQuery()) {
                    if (row.next()) {
                        target = row.getString(1);
                    }
                }
            }
            if (target == null) {
                return false;
            }
            current.uninstall(connection, name, target);
            states.put(name, new State(name, false, null, Instant.now(), null));
            LOG.log(Level.INFO, "Source {0} uninstalled on request: its triggers on {1} and its tasks were removed",
                    new Object[]{name, target});
            return true;
        }
    }

    /** Every source's state, in the settings' order. */
    public synchronized List<State> states() {
        return new ArrayList<>(states.values());
    }

    /** What keeps a configured source from working, one line each; empty when all are installed (or uninstalled on request). */
    public synchronized List<String> problems() {
        return states.values().stream().filter(s -> s.problem() != null).map(State::problem).toList();
    }

    /** The installed source of that name. */
    public synchronized Optional<State> installed(String name) {
        return Optional.ofNullable(states.get(name)).filter(State::installed);
    }

    SourceDialect dialect() {
        return dialect;
    }

    @PreDestroy
    synchronized void stop() {
        if (retry != null) {
            retry.cancel(false);
        }
    }
}
