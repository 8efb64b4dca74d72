package io.taskpulse.configuration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.schema.control.SchemaMigrationAccess;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stamp's set-based writes on TaskPulse's real schema (in-memory Derby, the strictest of the three about a
 * parameter's type): each listed row gets its own value, no other row changes, and the change trigger does not fire.
 * PostgreSQL and MariaDB run the same statements in every IT's stamp.
 */
class SetByKeyTest {

    private EmbeddedDataSource dataSource;

    @BeforeEach
    void freshDatabase() {
        dataSource = SchemaMigrationAccess.freshDerby();
    }

    @Test
    void everyListedRowGetsItsOwnRevisionAndNoOtherRowChanges() throws SQLException {
        List<Long> ids = insertTasks(600);
        Map<Long, Long> revisions = new LinkedHashMap<>();
        for (int i = 0; i < 550; i++) {
            revisions.put(ids.get((i * 7) % 600), 1000L + i); // not in id order, as a stamp by change time is not
        }

        int changed = run(new SetByKey("task", "id", "revision", "BIGINT"), revisions);

        assertEquals(550, changed);
        Map<Long, Long> stored = column("revision");
        for (long id : ids) {
            assertEquals(revisions.get(id), stored.get(id), "task " + id);
        }
        assertEquals(50, stored.values().stream().filter(java.util.Objects::isNull).count());
    }

    /** A change of the revision or the alert state is not news: the trigger that marks a task changed must not fire. */
    @Test
    void settingRevisionsAndAlertStatesDoesNotMarkTheTasksChangedAgain() throws SQLException {
        List<Long> ids = insertTasks(20);
        Map<Long, Long> revisions = new LinkedHashMap<>();
        Map<Long, String> states = new LinkedHashMap<>();
        ids.forEach(id -> revisions.put(id, id + 100));
        ids.forEach(id -> states.put(id, id % 2 == 0 ? "FAILED" : "SUCCEEDED OVERDUE"));
        long history = count("SELECT COUNT(*) FROM task_history");

        run(new SetByKey("task", "id", "revision", "BIGINT"), revisions);
        run(new SetByKey("task", "id", "alert_state", "VARCHAR(40)"), states);

        assertEquals(0L, count("SELECT COUNT(*) FROM task WHERE revision IS NULL"));
        assertEquals(history, count("SELECT COUNT(*) FROM task_history"));
        for (long id : ids) {
            assertEquals(states.get(id), text("SELECT alert_state FROM task WHERE id = " + id));
        }
    }

    @Test
    void tombstonesAreStampedByTaskId() throws SQLException {
        List<Long> ids = insertTasks(3);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM task WHERE id IN (" + ids.get(0) + ", " + ids.get(2) + ")");
        }

        run(new SetByKey("task_tombstone", "task_id", "revision", "BIGINT"), Map.of(ids.get(2), 9L));

        assertEquals(9L, count("SELECT revision FROM task_tombstone WHERE task_id = " + ids.get(2)));
        assertEquals(1L, count("SELECT COUNT(*) FROM task_tombstone WHERE revision IS NULL AND task_id = " + ids.get(0)));
    }

    /** Each database prepares (Derby compiles) each statement text: a handful of shapes, whatever the poll's size. */
    @Test
    void anyNumberOfRowsUsesAtMostSixStatementShapes() {
        SetByKey revisions = new SetByKey("task", "id", "revision", "BIGINT");
        Set<String> shapes = new HashSet<>();
        for (int rows = 1; rows <= 1_000; rows++) {
            Map<Long, Long> values = new HashMap<>();
            for (long id = 0; id < rows; id++) {
                values.put(id, id);
            }
            List<SetByKey.Statement> statements = revisions.statements(values);
            assertEquals((rows + SetByKey.MAX - 1) / SetByKey.MAX, statements.size(), rows + " rows");
            statements.forEach(statement -> shapes.add(statement.sql()));
        }
        assertEquals(6, shapes.size());
        assertTrue(revisions.statements(Map.of()).isEmpty());
    }

    private int run(SetByKey update, Map<Long, ?> values) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return update.apply(c, values);
        }
    }

    private List<Long> insertTasks(int n) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO task (name) VALUES (?)")) {
            for (int i = 0; i < n; i++) {
                insert.setString(1, "task-" + i);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return List.copyOf(column("revision").keySet().stream().sorted().toList());
    }

    private Map<Long, Long> column(String name) throws SQLException {
        Map<Long, Long> values = new HashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, " + name + " FROM task")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                long value = rs.getLong(2);
                values.put(id, rs.wasNull() ? null : value);
            }
        }
        return values;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String text(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
