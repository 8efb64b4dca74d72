package io.taskpulse.sources.control;

import io.taskpulse.sources.entity.Source;
import io.taskpulse.tasks.entity.Status;
import io.taskpulse.tasks.entity.Task;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What differs between PostgreSQL and MariaDB when TaskPulse watches a table: finding the table and its columns,
 * installing and removing the triggers, writing a status. The SQL is built from names that {@link Source} has held to
 * plain identifiers and values, and those are quoted all the same.
 */
abstract class SourceDialect {

    static SourceDialect of(String databaseProduct) {
        String product = databaseProduct.toLowerCase(java.util.Locale.ROOT);
        if (product.contains("postgres")) {
            return new PostgresSource();
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return new MariaDbSource();
        }
        return null;
    }

    /** The table as the database knows it: its real schema and name, and each configured column's real name and type. */
    record Resolved(Source source, String schema, String table, Map<String, String> columns, Map<String, String> types) {

        /** The configured column's real name. */
        String column(String configured) {
            return configured == null ? null : columns.get(configured);
        }
    }

    /** Finds the table and its columns and checks what can be checked before installing; throws Source.Invalid. */
    abstract Resolved resolve(Connection connection, Source source) throws SQLException;

    /**
     * Installs the triggers and brings the mirror rows up to the table's rows, all or nothing: on failure nothing of
     * this source is left installed (the old installation of the same source may be gone too), and it throws.
     */
    abstract void install(Connection connection, Resolved resolved) throws SQLException;

    /** Removes the triggers (and functions) of a source installed on {@code target}, and its mirror rows. */
    abstract void uninstall(Connection connection, String source, String target) throws SQLException;

    /** The qualified, quoted table that {@link #uninstall} is given later. */
    abstract String target(Resolved resolved);

    /**
     * The UPDATE that writes a status (parameter 1: the raw value), optionally the message (next parameter) and
     * the row's changed-at; the last parameter is the key as text.
     */
    abstract String statusUpdate(Resolved resolved, boolean withMessage);

    abstract String quote(String identifier);

    /**
     * Each configured column's real name: the same name, or else the one that differs only in case; a missing column,
     * or a changed-at column that is no date or time, is a Source.Invalid naming the setting and listing the columns.
     *
     * @param byLowerCase every column of the table, by its name in lower case
     * @param types       every column's type, by its real name
     */
    static Map<String, String> columns(Source source, String table, Map<String, String> byLowerCase,
            Map<String, String> types, java.util.function.Predicate<String> isDate) {
        Map<String, String> resolved = new java.util.HashMap<>();
        String[][] named = {{"key", source.key()}, {"name", source.nameColumn()}, {"status", source.status()},
            {"message", source.message()}, {"description", source.description()}, {"changed-at", source.changedAt()}};
        for (String[] column : named) {
            if (column[1] == null) {
                continue;
            }
            String real = types.containsKey(column[1]) ? column[1]
                    : byLowerCase.get(column[1].toLowerCase(java.util.Locale.ROOT));
            if (real == null) {
                throw new Source.Invalid(source.setting(column[0]) + ": table " + table + " has no column " + column[1]
                        + "; its columns are " + String.join(", ", new java.util.TreeSet<>(byLowerCase.values())));
            }
            if (column[0].equals("changed-at") && !isDate.test(real)) {
                throw new Source.Invalid(source.setting("changed-at") + ": column " + real + " is " + types.get(real)
                        + ", not a date or time");
            }
            resolved.put(column[1], real);
        }
        return resolved;
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** CASE raw WHEN 'v' THEN 'STATUS' ... ELSE 'UNKNOWN' END. */
    static String statusCase(Source source, String raw) {
        return "CASE " + raw + " " + source.mapping().entrySet().stream()
                .map(e -> "WHEN " + literal(e.getKey()) + " THEN " + literal(e.getValue().name()))
                .collect(Collectors.joining(" ")) + " ELSE " + literal(Status.UNKNOWN.name()) + " END";
    }

    static final int NAME_LENGTH = Task.NAME_LENGTH;
    static final int TEXT_LENGTH = Task.TEXT_LENGTH;
    static final int VALUE_LENGTH = 200;

    /** The mirror's columns, in the order {@code values} gives them. */
    static final String MIRROR_COLUMNS = "name, description, status, status_message, source, source_key, source_value, source_changed_at";
}
