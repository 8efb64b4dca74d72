package io.taskpulse.configuration;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sets one column of many rows, each row to its own value, in a few statements instead of one per row:
 * {@code UPDATE t SET c = CASE WHEN k = ? THEN ? ... END WHERE k IN (?, ...)}, the same SQL on Derby, PostgreSQL and
 * MariaDB. Issue 17: the stamp wrote a revision and an alert state with one statement per changed row, two round
 * trips per task while every report of those tasks waited for the stamp's row locks (70 % of sampled PostgreSQL
 * backends under 16 writers); this makes it two statements per poll for up to {@value #MAX} changed tasks.
 * <p>
 * A statement holds 8, 16, 32 … {@value #MAX} rows, a short one repeating its last row (the same key and value
 * again changes nothing): each database then prepares (Derby: compiles to bytecode, which is slow) at most six
 * shapes per column, not one per poll size. Derby refuses a CASE whose results are all untyped parameters ("At least
 * one result expression … must have a known type", SetByKeyTest), so the value is cast to the column's type; on
 * PostgreSQL too, where it changes nothing; MariaDB has no {@code CAST(… AS BIGINT)} and needs none.
 */
public final class SetByKey {

    static final int MIN = 8;
    static final int MAX = 256;

    private final String table;
    private final String key;
    private final String column;
    private final String value;

    /**
     * @param sqlType the column's SQL type for the cast ({@code BIGINT}, {@code VARCHAR(40)}), or null for none
     */
    public SetByKey(String table, String key, String column, String sqlType) {
        this.table = table;
        this.key = key;
        this.column = column;
        this.value = sqlType == null ? "?" : "CAST(? AS " + sqlType + ")";
    }

    /** One statement and its parameters, in order. */
    public record Statement(String sql, List<Object> parameters) {
    }

    /** The statements that set {@code values} (key → value, in the map's order); none when it is empty. */
    public List<Statement> statements(Map<Long, ?> values) {
        List<Map.Entry<Long, ?>> rows = new ArrayList<>(values.entrySet());
        List<Statement> statements = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += MAX) {
            List<Map.Entry<Long, ?>> chunk = rows.subList(from, Math.min(rows.size(), from + MAX));
            int size = shape(chunk.size());
            List<Object> parameters = new ArrayList<>(3 * size);
            for (int i = 0; i < size; i++) {
                Map.Entry<Long, ?> row = chunk.get(Math.min(i, chunk.size() - 1));
                parameters.add(row.getKey());
                parameters.add(row.getValue());
            }
            for (int i = 0; i < size; i++) {
                parameters.add(chunk.get(Math.min(i, chunk.size() - 1)).getKey());
            }
            statements.add(new Statement(sql(size), parameters));
        }
        return statements;
    }

    /**
     * Runs {@link #statements(Map)} in the caller's transaction, on its connection; how many rows they changed.
     * Plain JDBC, not a native JPA query: EclipseLink files each positional parameter with a linear search of those
     * before it, so a 256-row statement (768 parameters) cost about 300,000 comparisons, and under bulk reports that
     * was a fifth of the server's CPU (issue 17, JFR). What the persistence context holds is flushed first, as a
     * native query would.
     */
    public int apply(EntityManager em, Map<Long, ?> values) {
        if (values.isEmpty()) {
            return 0;
        }
        em.flush();
        Connection connection = em.unwrap(Connection.class);
        if (connection == null) {
            throw new IllegalStateException("no connection: SetByKey runs inside a transaction");
        }
        try {
            return apply(connection, values);
        } catch (SQLException e) {
            throw new PersistenceException("UPDATE " + table + " SET " + column + " failed: " + e.getMessage(), e);
        }
    }

    /** {@link #apply(EntityManager, Map)} on a connection the caller owns (and does not close here). */
    public int apply(Connection connection, Map<Long, ?> values) throws SQLException {
        int changed = 0;
        for (Statement statement : statements(values)) {
            try (PreparedStatement update = connection.prepareStatement(statement.sql())) {
                for (int i = 0; i < statement.parameters().size(); i++) {
                    update.setObject(i + 1, statement.parameters().get(i));
                }
                changed += update.executeUpdate();
            }
        }
        return changed;
    }

    /** The smallest shape that holds {@code rows}. */
    static int shape(int rows) {
        int size = MIN;
        while (size < rows) {
            size <<= 1;
        }
        return size;
    }

    private String sql(int size) {
        StringBuilder sql = new StringBuilder(64 + size * 40).append("UPDATE ").append(table).append(" SET ")
                .append(column).append(" = CASE");
        for (int i = 0; i < size; i++) {
            sql.append(" WHEN ").append(key).append(" = ? THEN ").append(value);
        }
        sql.append(" END WHERE ").append(key).append(" IN (");
        for (int i = 0; i < size; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
    }
}
