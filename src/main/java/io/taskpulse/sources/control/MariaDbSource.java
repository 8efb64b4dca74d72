package io.taskpulse.sources.control;

import io.taskpulse.sources.entity.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MariaDB: three row triggers (AFTER INSERT, AFTER UPDATE, AFTER DELETE; MariaDB allows several per event, so the
 * application's own triggers stay as they are). A trigger runs with its definer's rights, TaskPulse's user, so the
 * application's user needs no right on TaskPulse's tables. DDL commits at once, so "all or nothing" is done by hand:
 * if any step fails, every trigger of the source is dropped again before the failure is reported. The back-fill reads
 * the table with shared locks, so a write of the application's that commits meanwhile waits and then fires the trigger.
 * No NOTIFY: the poller finds the changes within one poll interval.
 */
final class MariaDbSource extends SourceDialect {

    private static final String[] EVENTS = {"INSERT", "UPDATE", "DELETE"};
    private static final String LOCK = "taskpulse_sources";

    @Override
    Resolved resolve(Connection connection, Source source) throws SQLException {
        String schema;
        String table;
        try (PreparedStatement find = connection.prepareStatement("SELECT table_schema, table_name FROM information_schema.tables "
                + "WHERE table_schema = COALESCE(?, DATABASE()) AND lower(table_name) = lower(?) AND table_type = 'BASE TABLE' "
                + "ORDER BY (table_name = ?) DESC LIMIT 1")) {
            find.setString(1, source.schema());
            find.setString(2, source.table());
            find.setString(3, source.table());
            try (ResultSet found = find.executeQuery()) {
                if (!found.next()) {
                    throw new Source.Invalid(source.setting("table") + ": no table " + source.table() + " in database "
                            + (source.schema() == null ? connection.getCatalog() : source.schema())
                            + ", or TaskPulse's database user may not see it (it needs SELECT and TRIGGER on it)");
                }
                schema = found.getString(1);
                table = found.getString(2);
            }
        }
        Map<String, String> actual = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement columns = connection.prepareStatement("SELECT column_name, data_type, column_type FROM "
                + "information_schema.columns WHERE table_schema = ? AND table_name = ?")) {
            columns.setString(1, schema);
            columns.setString(2, table);
            try (ResultSet rows = columns.executeQuery()) {
                while (rows.next()) {
                    actual.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(1));
                    types.put(rows.getString(1), rows.getString(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        Map<String, String> resolved = columns(source, schema + "." + table, actual, types,
                column -> Set.of("datetime", "timestamp", "date").contains(types.get(column)));
        return new Resolved(source, schema, table, resolved, types);
    }

    @Override
    void install(Connection connection, Resolved resolved) throws SQLException {
        Source source = resolved.source();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            lock(statement);
            try {
                String own = connection.getCatalog();
                String target = target(resolved);
                String key = quote(resolved.column(source.key()));
                String mirror = quote(own) + ".task";
                String upsert = "INSERT INTO " + mirror + " (" + MIRROR_COLUMNS + ") VALUES (" + values(resolved, "NEW")
                        + ") ON DUPLICATE KEY UPDATE " + assignments();
                String deleteOld = "DELETE FROM " + mirror + " WHERE source = " + literal(source.name()) + " AND source_key = "
                        + text("OLD." + key);
                try {
                    dropTriggers(statement, resolved.schema(), source.name());
                    statement.execute("CREATE TRIGGER " + trigger(resolved.schema(), source.name(), "INSERT")
                            + " AFTER INSERT ON " + target + " FOR EACH ROW BEGIN IF NEW." + key + " IS NOT NULL THEN "
                            + upsert + "; END IF; END");
                    statement.execute("CREATE TRIGGER " + trigger(resolved.schema(), source.name(), "UPDATE")
                            + " AFTER UPDATE ON " + target + " FOR EACH ROW BEGIN "
                            + "IF NOT (OLD." + key + " <=> NEW." + key + ") THEN " + deleteOld + "; END IF; "
                            + "IF NEW." + key + " IS NOT NULL AND NOT (" + unchanged(resolved) + ") THEN " + upsert + "; END IF; END");
                    statement.execute("CREATE TRIGGER " + trigger(resolved.schema(), source.name(), "DELETE")
                            + " AFTER DELETE ON " + target + " FOR EACH ROW " + deleteOld);
                    connection.setAutoCommit(false);
                    statement.executeUpdate("INSERT INTO " + mirror + " (" + MIRROR_COLUMNS + ") SELECT " + values(resolved, "r")
                            + " FROM " + target + " r WHERE r." + key + " IS NOT NULL LOCK IN SHARE MODE"
                            + " ON DUPLICATE KEY UPDATE " + assignments());
                    statement.executeUpdate("DELETE FROM " + mirror + " WHERE source = " + literal(source.name())
                            + " AND NOT EXISTS (SELECT 1 FROM " + target + " r WHERE " + text("r." + key) + " = "
                            + mirror + ".source_key)");
                    try (PreparedStatement record = connection.prepareStatement("INSERT INTO task_source (name, target) "
                            + "VALUES (?, ?) ON DUPLICATE KEY UPDATE target = VALUES(target), installed_at = UTC_TIMESTAMP(6)")) {
                        record.setString(1, source.name());
                        record.setString(2, target);
                        record.executeUpdate();
                    }
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                        connection.setAutoCommit(true);
                    }
                    try {
                        dropTriggers(statement, resolved.schema(), source.name());
                    } catch (SQLException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                    throw e;
                }
            } finally {
                connection.setAutoCommit(true);
                unlock(statement);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    void uninstall(Connection connection, String source, String target) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            lock(statement);
            try {
                String schema = target.substring(1, target.indexOf('`', 1));
                dropTriggers(statement, schema, source);
                connection.setAutoCommit(false);
                statement.executeUpdate("DELETE FROM task WHERE source = " + literal(source));
                statement.executeUpdate("DELETE FROM task_source WHERE name = " + literal(source));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                throw e;
            } finally {
                connection.setAutoCommit(true);
                unlock(statement);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    String target(Resolved resolved) {
        return quote(resolved.schema()) + "." + quote(resolved.table());
    }

    @Override
    String statusUpdate(Resolved resolved, boolean withMessage) {
        Source source = resolved.source();
        StringBuilder sql = new StringBuilder("UPDATE " + target(resolved) + " SET " + quote(resolved.column(source.status())) + " = ?");
        if (withMessage && source.message() != null) {
            sql.append(", ").append(quote(resolved.column(source.message()))).append(" = ?");
        }
        if (source.changedAt() != null) {
            sql.append(", ").append(quote(resolved.column(source.changedAt()))).append(" = UTC_TIMESTAMP(6)");
        }
        return sql.append(" WHERE ").append(quote(resolved.column(source.key()))).append(" = ?").toString();
    }

    @Override
    String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    static String triggerName(String source, String event) {
        return "taskpulse_source_" + source + "_" + event.toLowerCase(Locale.ROOT);
    }

    private String trigger(String schema, String source, String event) {
        return quote(schema) + "." + quote(triggerName(source, event));
    }

    private void dropTriggers(Statement statement, String schema, String source) throws SQLException {
        for (String event : EVENTS) {
            statement.execute("DROP TRIGGER IF EXISTS " + trigger(schema, source, event));
        }
    }

    private static void lock(Statement statement) throws SQLException {
        try (ResultSet locked = statement.executeQuery("SELECT GET_LOCK('" + LOCK + "', 120)")) {
            if (!locked.next() || locked.getInt(1) != 1) {
                throw new SQLException("another server held the lock " + LOCK + " for 120 s", "HY000");
            }
        }
    }

    private static void unlock(Statement statement) throws SQLException {
        statement.execute("DO RELEASE_LOCK('" + LOCK + "')");
    }

    /** A value as text in the mirror's character set and collation, whatever the table's. */
    private static String text(String value) {
        return "(CAST(" + value + " AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_nopad_bin)";
    }

    private String values(Resolved resolved, String row) {
        Source source = resolved.source();
        String key = text(row + "." + quote(resolved.column(source.key())));
        String raw = text(row + "." + quote(resolved.column(source.status())));
        return "LEFT(COALESCE(NULLIF(TRIM(" + text(row + "." + quote(resolved.column(source.nameColumn()))) + "), ''), "
                + key + "), " + NAME_LENGTH + "), "
                + optionalText(resolved, row, source.description()) + ", "
                + statusCase(source, raw) + ", "
                + optionalText(resolved, row, source.message()) + ", "
                + literal(source.name()) + ", " + key + ", LEFT(" + raw + ", " + VALUE_LENGTH + "), "
                + (source.changedAt() == null ? "NULL" : row + "." + quote(resolved.column(source.changedAt())));
    }

    private String optionalText(Resolved resolved, String row, String column) {
        return column == null ? "NULL"
                : "LEFT(NULLIF(" + text(row + "." + quote(resolved.column(column))) + ", ''), " + TEXT_LENGTH + ")";
    }

    private String unchanged(Resolved resolved) {
        return resolved.source().columns().stream().distinct().map(c -> quote(resolved.column(c)))
                .map(c -> "OLD." + c + " <=> NEW." + c).collect(Collectors.joining(" AND "));
    }

    private static String assignments() {
        return "name = VALUES(name), description = VALUES(description), status = VALUES(status), "
                + "status_message = VALUES(status_message), source_value = VALUES(source_value), "
                + "source_changed_at = VALUES(source_changed_at)";
    }
}
