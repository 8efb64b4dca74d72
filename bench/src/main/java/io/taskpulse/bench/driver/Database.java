package io.taskpulse.bench.driver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's PostgreSQL database: reset before a run, seeded with tasks, written directly (as a script
 * would), and asked how much work it did: statements and pings the server sent, counted on the wire by
 * {@link StatementCounter}, and rows returned from pg_stat_database (approximate: flushed about once a second).
 */
final class Database implements AutoCloseable {

    record Counters(long statements, long pings, long rowsReturned) {
        Counters minus(Counters earlier) {
            return new Counters(statements - earlier.statements, pings - earlier.pings, rowsReturned - earlier.rowsReturned);
        }

        /** Every round trip the database answered for the server: statements and the pool's validation pings. */
        long queries() {
            return statements + pings;
        }
    }

    private final Connection connection;
    private final String name;
    private final StatementCounter counter;
    private PreparedStatement update;

    Database(String url, String user, StatementCounter counter) throws SQLException {
        this.counter = counter;
        connection = DriverManager.getConnection(url, user, null);
        connection.setAutoCommit(true);
        name = connection.getCatalog();
    }

    /** An empty schema: TaskPulse creates its tables at start-up. */
    void reset() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA public CASCADE");
            statement.execute("CREATE SCHEMA public");
        }
    }

    boolean hasTaskTable() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT to_regclass('public.task') IS NOT NULL")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    /** Tasks named bench-0000, bench-0001, …, up to {@code total} rows in the table. */
    void fillTo(int total) throws SQLException {
        int existing = count();
        if (existing >= total) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO task (name, description) SELECT 'bench-' || lpad(i::text, 6, '0'), 'benchmark task' "
                        + "FROM generate_series(?, ?) AS i")) {
            insert.setInt(1, existing);
            insert.setInt(2, total - 1);
            insert.executeUpdate();
        }
    }

    /**
     * The first {@code tasks} tasks (by id) get the schedule a script would PUT ({@code Task.schedule}: a period, so no
     * zone; the grace; no maxRuntime, so no timeout while not running; not overdue), each expected between 30 and 60
     * minutes from now, as if it last ran half an hour ago, and overdue a grace later: nothing of them is due for a
     * while. Every other task loses its schedule. One statement each, so 100,000 rows take seconds, not minutes.
     */
    void schedule(int tasks, int graceSeconds) throws SQLException {
        try (PreparedStatement clear = connection.prepareStatement("UPDATE task SET schedule = NULL, schedule_zone = NULL, "
                + "grace_seconds = NULL, max_runtime_seconds = NULL, expected_at = NULL, overdue = FALSE, overdue_at = NULL, "
                + "timeout_at = NULL WHERE schedule IS NOT NULL AND id NOT IN (SELECT id FROM task ORDER BY id LIMIT ?)");
             PreparedStatement set = connection.prepareStatement("UPDATE task t SET schedule = 'PT1H', schedule_zone = NULL, "
                     + "grace_seconds = ?, max_runtime_seconds = NULL, overdue = FALSE, timeout_at = NULL, "
                     + "expected_at = now() + interval '30 minutes' + (r.n % 1800) * interval '1 second', "
                     + "overdue_at = now() + interval '30 minutes' + (r.n % 1800 + ?) * interval '1 second' "
                     + "FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM task ORDER BY id LIMIT ?) r "
                     + "WHERE t.id = r.id")) {
            clear.setInt(1, tasks);
            clear.executeUpdate();
            set.setInt(1, graceSeconds);
            set.setInt(2, graceSeconds);
            set.setInt(3, tasks);
            int scheduled = set.executeUpdate();
            if (scheduled != tasks) {
                throw new IllegalStateException("scheduled " + scheduled + " tasks, not " + tasks + ": the table is smaller");
            }
        }
    }

    /**
     * Makes {@code perSecond × (seconds + 1)} of the first {@code tasks} scheduled tasks due, spread evenly over them:
     * {@code perSecond} two seconds before {@code from} (a tick before the window, so that the window's first marking
     * is not the server's first), then {@code perSecond} in each second from {@code from} on. Each is expected a grace
     * before it becomes overdue, as a task whose run should have started then. Returns how many were made due.
     */
    int due(int tasks, int perSecond, int seconds, java.time.Instant from, int graceSeconds) throws SQLException {
        int due = perSecond * (seconds + 1);
        int stride = Math.max(1, tasks / due);
        // g: the row's group, one per second; group 0 is the tick before the window
        String second = "(CASE WHEN (r.n / ?) / ? = 0 THEN -2 ELSE (r.n / ?) / ? - 1 END)";
        try (PreparedStatement set = connection.prepareStatement("UPDATE task t SET "
                + "overdue_at = CAST(? AS timestamptz) + " + second + " * interval '1 second', "
                + "expected_at = CAST(? AS timestamptz) + (" + second + " - ?) * interval '1 second' "
                + "FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM task ORDER BY id LIMIT ?) r "
                + "WHERE t.id = r.id AND r.n % ? = 0 AND r.n / ? < ?")) {
            java.time.OffsetDateTime at = from.atOffset(java.time.ZoneOffset.UTC);
            int i = 0;
            set.setObject(++i, at);
            for (int j = 0; j < 2; j++) {
                set.setInt(++i, stride);
                set.setInt(++i, perSecond);
            }
            set.setObject(++i, at);
            for (int j = 0; j < 2; j++) {
                set.setInt(++i, stride);
                set.setInt(++i, perSecond);
            }
            set.setInt(++i, graceSeconds);
            set.setInt(++i, tasks);
            set.setInt(++i, stride);
            set.setInt(++i, stride);
            set.setInt(++i, due);
            return set.executeUpdate();
        }
    }

    /** Whether every change is stamped, and up to which revision: what a server that published them all has read. */
    long stampedUpTo() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM task WHERE revision IS NULL), "
                     + "(SELECT revision FROM feed_clock)")) {
            rows.next();
            return rows.getLong(1) > 0 ? Long.MAX_VALUE : rows.getLong(2);
        }
    }

    void analyze() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE task");
        }
    }

    /**
     * Which statements the server runs, by sampling pg_stat_activity every 10 ms for a while (from the postgres
     * database, so that the sampling is not counted in this one's statistics): the evidence behind the idle
     * transaction count. Written as "samples  state  statement", most frequent first.
     */
    void sampleStatements(int seconds, Path file) throws Exception {
        String url = connection.getMetaData().getURL().replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        Map<String, Integer> seen = new HashMap<>();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        try (Connection other = DriverManager.getConnection(url, connection.getMetaData().getUserName(), null);
             PreparedStatement sample = other.prepareStatement("SELECT state, query FROM pg_stat_activity "
                     + "WHERE datname = ? AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
            sample.setString(1, name);
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = sample.executeQuery()) {
                    while (rows.next()) {
                        seen.merge(rows.getString(1) + "\t" + rows.getString(2).replaceAll("\\s+", " "), 1, Integer::sum);
                    }
                }
                Thread.sleep(10);
            }
        }
        Files.write(file, seen.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> e.getValue() + "\t" + e.getKey()).toList());
    }

    String version() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW server_version")) {
            rows.next();
            return "PostgreSQL " + rows.getString(1);
        }
    }

    int count() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM task")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** A script's direct write: one autocommit UPDATE (one transaction). */
    void report(String name, String status, String message) throws SQLException {
        PreparedStatement update = update();
        update.setString(1, status);
        update.setString(2, message);
        update.setString(3, name);
        update.executeUpdate();
    }

    private PreparedStatement update() throws SQLException {
        if (update == null) {
            update = connection.prepareStatement("UPDATE task SET status = ?, status_message = ? WHERE name = ?");
            update.setQueryTimeout(Writer.WRITE_TIMEOUT_SECONDS); // a write is bounded, so Writer.stop can wait it out
        }
        return update;
    }

    /** Several scripts' direct writes in one transaction: {name, status, message} each. */
    void reportAll(List<String[]> rows) throws SQLException {
        PreparedStatement update = update();
        connection.setAutoCommit(false);
        try {
            for (String[] row : rows) {
                update.setString(1, row[1]);
                update.setString(2, row[2]);
                update.setString(3, row[0]);
                update.addBatch();
            }
            update.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * The server's statements and pings so far (exact, from the wire), and the database's rows returned as of its
     * latest statistics flush (backends flush at most once a second while busy and within 10 s when idle).
     */
    Counters counters() throws SQLException {
        StatementCounter.Counts counts = counter.counts();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rows = statement.executeQuery("SELECT tup_returned "
                    + "FROM pg_stat_database WHERE datname = '" + name.replace("'", "''") + "'")) {
                rows.next();
                return new Counters(counts.statements(), counts.pings(), rows.getLong(1));
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
