package io.taskpulse.sources.control;

import io.taskpulse.sources.entity.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL: one row trigger (AFTER INSERT OR UPDATE OR DELETE) calling one function, SECURITY DEFINER with a fixed
 * search_path, so the application's own database user needs no right on TaskPulse's tables; installed, back-filled
 * and recorded in one transaction, under an advisory lock so that servers starting together install once. CREATE
 * TRIGGER holds the table's SHARE ROW EXCLUSIVE lock until that commit: no write of the application falls between
 * the trigger and the back-fill. The mirror's own change trigger then marks the row changed and NOTIFYs.
 */
final class PostgresSource extends SourceDialect {

    private static final long LOCK = 0x7461736b70756c73L; // "taskpuls"

    @Override
    Resolved resolve(Connection connection, Source source) throws SQLException {
        long oid;
        String schema;
        String table;
        try (PreparedStatement find = connection.prepareStatement("SELECT c.oid, n.nspname, c.relname FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                + "AND lower(n.nspname) = lower(coalesce(?, current_schema())) AND lower(c.relname) = lower(?) "
                + "ORDER BY (c.relname = ?) DESC LIMIT 1")) {
            find.setString(1, source.schema());
            find.setString(2, source.table());
            find.setString(3, source.table());
            try (ResultSet found = find.executeQuery()) {
                if (!found.next()) {
                    throw new Source.Invalid(source.setting("table") + ": no table " + (source.schema() == null ? ""
                            : source.schema() + ".") + source.table() + " in database " + connection.getCatalog()
                            + (source.schema() == null ? " (schema " + currentSchema(connection) + ")" : "")
                            + ", or TaskPulse's database user may not see it");
                }
                oid = found.getLong(1);
                schema = found.getString(2);
                table = found.getString(3);
            }
        }
        Map<String, String> actual = new HashMap<>();
        Map<String, String> categories = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement columns = connection.prepareStatement("SELECT a.attname, format_type(a.atttypid, "
                + "a.atttypmod), t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped")) {
            columns.setLong(1, oid);
            try (ResultSet rows = columns.executeQuery()) {
                while (rows.next()) {
                    actual.put(rows.getString(1).toLowerCase(java.util.Locale.ROOT), rows.getString(1));
                    types.put(rows.getString(1), rows.getString(2));
                    categories.put(rows.getString(1), rows.getString(3));
                }
            }
        }
        Map<String, String> resolved = columns(source, schema + "." + table, actual, types,
                column -> "D".equals(categories.get(column)));
        List<String> missing = new ArrayList<>();
        try (PreparedStatement rights = connection.prepareStatement("SELECT has_table_privilege(?, 'SELECT'), "
                + "has_table_privilege(?, 'TRIGGER'), has_table_privilege(?, 'UPDATE'), current_user")) {
            for (int i = 1; i <= 3; i++) {
                rights.setLong(i, oid);
            }
            try (ResultSet row = rights.executeQuery()) {
                row.next();
                if (!row.getBoolean(1)) {
                    missing.add("SELECT");
                }
                if (!row.getBoolean(2)) {
                    missing.add("TRIGGER");
                }
                if (source.writable() && !row.getBoolean(3)) {
                    missing.add("UPDATE");
                }
                if (!missing.isEmpty()) {
                    throw new Source.Invalid("source " + source.name() + ": TaskPulse's database user " + row.getString(4)
                            + " lacks " + String.join(", ", missing) + " on " + schema + "." + table + "; run GRANT "
                            + (source.writable() ? "SELECT, TRIGGER, UPDATE" : "SELECT, TRIGGER") + " ON " + schema + "."
                            + table + " TO " + row.getString(4) + (source.writable() ? "" : " (UPDATE too, if "
                            + source.setting("writable") + "=true)"));
                }
            }
        }
        return new Resolved(source, schema, table, resolved, types);
    }

    @Override
    void install(Connection connection, Resolved resolved) throws SQLException {
        Source source = resolved.source();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            String own = currentSchema(connection);
            String function = quote(own) + "." + quote(functionName(source.name()));
            String target = target(resolved);
            String key = quote(resolved.column(source.key()));
            String upsert = "INSERT INTO " + quote(own) + ".task AS t (" + MIRROR_COLUMNS + ") VALUES (" + values(resolved, "NEW")
                    + ") ON CONFLICT (source, source_key) DO UPDATE SET " + assignments();
            statement.execute("CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql "
                    + "SECURITY DEFINER SET search_path = " + quote(own) + ", pg_temp AS $taskpulse$\n"
                    + "BEGIN\n"
                    + "    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD." + key + "::text IS DISTINCT FROM NEW." + key + "::text) THEN\n"
                    + "        DELETE FROM " + quote(own) + ".task WHERE source = " + literal(source.name())
                    + " AND source_key = OLD." + key + "::text;\n"
                    + "    END IF;\n"
                    + "    IF TG_OP = 'DELETE' OR NEW." + key + " IS NULL THEN\n"
                    + "        RETURN NULL;\n"
                    + "    END IF;\n"
                    + "    IF TG_OP = 'UPDATE' AND ROW(" + shown(resolved, "OLD") + ") IS NOT DISTINCT FROM ROW("
                    + shown(resolved, "NEW") + ") THEN\n"
                    + "        RETURN NULL;\n"
                    + "    END IF;\n"
                    + "    " + upsert + ";\n"
                    + "    RETURN NULL;\n"
                    + "END\n$taskpulse$");
            statement.execute("DROP TRIGGER IF EXISTS " + quote(triggerName(source.name())) + " ON " + target);
            statement.execute("CREATE TRIGGER " + quote(triggerName(source.name())) + " AFTER INSERT OR UPDATE OR DELETE ON "
                    + target + " FOR EACH ROW EXECUTE FUNCTION " + function + "()");
            // The rows that exist, and those that went while no trigger was installed.
            statement.executeUpdate("INSERT INTO " + quote(own) + ".task AS t (" + MIRROR_COLUMNS + ") SELECT "
                    + values(resolved, "r") + " FROM " + target + " r WHERE r." + key + " IS NOT NULL"
                    + " ON CONFLICT (source, source_key) DO UPDATE SET " + assignments()
                    + " WHERE ROW(t.name, t.description, t.status, t.status_message, t.source_value, t.source_changed_at)"
                    + " IS DISTINCT FROM ROW(EXCLUDED.name, EXCLUDED.description, EXCLUDED.status, EXCLUDED.status_message,"
                    + " EXCLUDED.source_value, EXCLUDED.source_changed_at)");
            statement.executeUpdate("DELETE FROM " + quote(own) + ".task t WHERE t.source = " + literal(source.name())
                    + " AND NOT EXISTS (SELECT 1 FROM " + target + " r WHERE r." + key + "::text = t.source_key)");
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO task_source (name, target) VALUES (?, ?) "
                    + "ON CONFLICT (name) DO UPDATE SET target = EXCLUDED.target, installed_at = CURRENT_TIMESTAMP")) {
                record.setString(1, source.name());
                record.setString(2, target);
                record.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    void uninstall(Connection connection, String source, String target) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            String own = currentSchema(connection);
            try (ResultSet exists = statement.executeQuery("SELECT to_regclass(" + literal(target) + ")")) {
                exists.next();
                if (exists.getString(1) != null) {
                    statement.execute("DROP TRIGGER IF EXISTS " + quote(triggerName(source)) + " ON " + target);
                }
            }
            statement.execute("DROP FUNCTION IF EXISTS " + quote(own) + "." + quote(functionName(source)) + "()");
            statement.executeUpdate("DELETE FROM task WHERE source = " + literal(source));
            statement.executeUpdate("DELETE FROM task_source WHERE name = " + literal(source));
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
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
        String status = resolved.column(source.status());
        String key = resolved.column(source.key());
        StringBuilder sql = new StringBuilder("UPDATE " + target(resolved) + " SET " + quote(status) + " = CAST(? AS "
                + resolved.types().get(status) + ")");
        if (withMessage && source.message() != null) {
            String message = resolved.column(source.message());
            sql.append(", ").append(quote(message)).append(" = CAST(? AS ").append(resolved.types().get(message)).append(")");
        }
        if (source.changedAt() != null) {
            sql.append(", ").append(quote(resolved.column(source.changedAt()))).append(" = CURRENT_TIMESTAMP");
        }
        return sql.append(" WHERE ").append(quote(key)).append(" = CAST(? AS ").append(resolved.types().get(key)).append(")")
                .toString();
    }

    @Override
    String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String functionName(String source) {
        return "taskpulse_source_" + source;
    }

    static String triggerName(String source) {
        return "taskpulse_source_" + source;
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT current_schema()")) {
            row.next();
            return row.getString(1);
        }
    }

    /** The mirror's values from the row called {@code row} (NEW in the trigger, r in the back-fill). */
    private String values(Resolved resolved, String row) {
        Source source = resolved.source();
        String key = row + "." + quote(resolved.column(source.key())) + "::text";
        String raw = row + "." + quote(resolved.column(source.status())) + "::text";
        return "left(coalesce(nullif(btrim(" + row + "." + quote(resolved.column(source.nameColumn())) + "::text), ''), "
                + key + "), " + NAME_LENGTH + "), "
                + text(resolved, row, source.description()) + ", "
                + statusCase(source, raw) + ", "
                + text(resolved, row, source.message()) + ", "
                + literal(source.name()) + ", " + key + ", left(" + raw + ", " + VALUE_LENGTH + "), "
                + (source.changedAt() == null ? "NULL" : row + "." + quote(resolved.column(source.changedAt())) + "::timestamptz");
    }

    private String text(Resolved resolved, String row, String column) {
        return column == null ? "NULL" : "left(nullif(" + row + "." + quote(resolved.column(column)) + "::text, ''), " + TEXT_LENGTH + ")";
    }

    /** The columns the mirror shows, of one row: an UPDATE that changes none of them changes nothing on the board. */
    private String shown(Resolved resolved, String row) {
        return resolved.source().columns().stream().distinct().map(c -> row + "." + quote(resolved.column(c)))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String assignments() {
        return "name = EXCLUDED.name, description = EXCLUDED.description, status = EXCLUDED.status, "
                + "status_message = EXCLUDED.status_message, source_value = EXCLUDED.source_value, "
                + "source_changed_at = EXCLUDED.source_changed_at";
    }
}
