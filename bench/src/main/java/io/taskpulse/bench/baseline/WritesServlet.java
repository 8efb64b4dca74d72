package io.taskpulse.bench.baseline;

import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The write floor (issue 17): what a status report must change, done by plain JDBC, so that TaskPulse's report
 * throughput has something to be compared with. {@code PUT /writes/tasks/{name}/status} with TaskPulse's body
 * ({@code {"status":"FAILED","message":"…"}}) runs one transaction on tables shaped like TaskPulse's
 * ({@code task}, {@code task_history}, {@code task_run}, same columns, keys and indexes, in a schema of their own,
 * {@code bench_floor}, and without triggers): UPDATE the task's status, message, change time and last run (revision
 * NULL, as TaskPulse's trigger marks a change), INSERT its history row and INSERT its ended run; 404 when no task
 * has the name. {@code POST /writes/setup?tasks=N} creates the tables (or empties them) with tasks
 * {@code bench-000000} … like the driver's.
 * <p>
 * The pool has TaskPulse's size and settings ({@code io.taskpulse.configuration.Database}: 2 to 32 connections,
 * each checked with {@code isValid} when handed out, 10 s wait at most). On PostgreSQL it is TaskPulse's database;
 * on embedded Derby a database of its own in the same JVM ({@link WritesDataSource}).
 */
@DataSourceDefinition(name = "java:app/jdbc/bench-writes", className = "io.taskpulse.bench.baseline.WritesDataSource",
        user = "postgres", initialPoolSize = 2, minPoolSize = 2, maxPoolSize = 32,
        properties = {
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=custom-validation",
            "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
            "fish.payara.max-wait-time-in-millis=10000"})
@WebServlet("/writes/*")
public class WritesServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(WritesServlet.class.getName());
    private static final String PREFIX = "/tasks/";
    private static final String SUFFIX = "/status";
    /**
     * Looked up once: {@code Json.createReader} and its kind look the provider up again on every call (a service
     * lookup through the class path, about a quarter of TaskPulse's CPU samples per report in a JFR recording of the
     * write phase), which a floor should not pay.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Resource(lookup = "java:app/jdbc/bench-writes")
    DataSource dataSource;

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
            response.sendError(404);
            return;
        }
        String name = path.substring(PREFIX.length(), path.length() - SUFFIX.length());
        JsonObject body;
        try (JsonReader reader = JSON.createReader(request.getInputStream())) {
            body = reader.readObject();
        } catch (RuntimeException e) {
            response.sendError(400, "not a JSON object");
            return;
        }
        String status = body.getString("status", "");
        if (!status.equals("SUCCEEDED") && !status.equals("FAILED")) {
            response.sendError(400, "status must be SUCCEEDED or FAILED");
            return;
        }
        String message = body.getString("message", null);
        try {
            if (!report(name, status, message)) {
                response.sendError(404, "no task named " + name);
                return;
            }
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "report of {0} failed: {1}", new Object[]{name, e.getMessage()});
            response.sendError(503);
            return;
        }
        response.setContentType("application/json");
        response.getWriter().print(JSON.createObjectBuilder().add("name", name).add("status", status).build());
    }

    /** One transaction: the task row, its history row, its ended run. False (nothing written) for an unknown name. */
    private boolean report(String name, String status, String message) throws SQLException {
        String runId = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement task = connection.prepareStatement("UPDATE bench_floor.task SET status = ?, "
                    + "status_message = ?, changed_at = CURRENT_TIMESTAMP, revision = NULL, running_since = NULL, "
                    + "run_id = ?, exit_code = NULL, duration_ms = NULL WHERE name = ?");
                 PreparedStatement history = connection.prepareStatement("INSERT INTO bench_floor.task_history "
                         + "(task_id, status, status_message, changed_at) "
                         + "SELECT id, ?, ?, CURRENT_TIMESTAMP FROM bench_floor.task WHERE name = ?");
                 PreparedStatement run = connection.prepareStatement("INSERT INTO bench_floor.task_run "
                         + "(task_id, run_id, ended_at, status, message) "
                         + "SELECT id, ?, CURRENT_TIMESTAMP, ?, ? FROM bench_floor.task WHERE name = ?")) {
                task.setString(1, status);
                task.setString(2, message);
                task.setString(3, runId);
                task.setString(4, name);
                if (task.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                history.setString(1, status);
                history.setString(2, message);
                history.setString(3, name);
                history.executeUpdate();
                run.setString(1, runId);
                run.setString(2, status);
                run.setString(3, message);
                run.setString(4, name);
                run.executeUpdate();
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/setup".equals(request.getPathInfo())) {
            response.sendError(404);
            return;
        }
        int tasks = Integer.parseInt(request.getParameter("tasks"));
        try {
            setup(tasks);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "setting up the write floor failed", e);
            response.sendError(500, e.getMessage());
            return;
        }
        response.setContentType("text/plain");
        response.getWriter().print(tasks);
    }

    private void setup(int tasks) throws SQLException {
        boolean derby = WritesDataSource.derby();
        String instant = derby ? "TIMESTAMP" : "TIMESTAMPTZ";
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            if (exists(connection, derby)) {
                sql.executeUpdate("DELETE FROM bench_floor.task_history");
                sql.executeUpdate("DELETE FROM bench_floor.task_run");
                sql.executeUpdate("DELETE FROM bench_floor.task");
            } else {
                // TaskPulse's V1, V2 and V4 (PostgreSQL's and Derby's scripts), the columns a report touches
                sql.execute("CREATE SCHEMA bench_floor");
                sql.execute("CREATE TABLE bench_floor.task (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        + "name VARCHAR(200) NOT NULL, description VARCHAR(2000), "
                        + "status VARCHAR(16) DEFAULT 'NOT_RUN' NOT NULL, status_message VARCHAR(2000), "
                        + "changed_at " + instant + " DEFAULT CURRENT_TIMESTAMP NOT NULL, revision BIGINT, "
                        + "running_since " + instant + ", run_id VARCHAR(100), exit_code INT, duration_ms BIGINT, "
                        + "output_summary VARCHAR(200), "
                        + "CONSTRAINT floor_task_name_unique UNIQUE (name), "
                        + "CONSTRAINT floor_task_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED', 'UNKNOWN')))");
                sql.execute("CREATE INDEX floor_task_revision ON bench_floor.task (revision)");
                sql.execute("CREATE TABLE bench_floor.task_history (task_id BIGINT NOT NULL, status VARCHAR(16) NOT NULL, "
                        + "status_message VARCHAR(2000), changed_at " + instant + " DEFAULT CURRENT_TIMESTAMP NOT NULL)");
                sql.execute("CREATE INDEX floor_task_history_of_task ON bench_floor.task_history (task_id, changed_at)");
                sql.execute("CREATE INDEX floor_task_history_age ON bench_floor.task_history (changed_at)");
                sql.execute("CREATE TABLE bench_floor.task_run (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                        + "task_id BIGINT NOT NULL REFERENCES bench_floor.task (id) ON DELETE CASCADE, "
                        + "run_id VARCHAR(100) NOT NULL, started_at " + instant + ", ended_at " + instant + ", "
                        + "status VARCHAR(16), exit_code INT, message VARCHAR(2000), output_tail " + (derby ? "CLOB(1M)" : "TEXT")
                        + ", output_bytes BIGINT, output_cut BOOLEAN DEFAULT FALSE NOT NULL, "
                        + "CONSTRAINT floor_task_run_status_known CHECK (status IN ('NOT_RUN', 'SUCCEEDED', 'FAILED')))");
                sql.execute("CREATE INDEX floor_task_run_of_task ON bench_floor.task_run (task_id, id)");
                sql.execute("CREATE INDEX floor_task_run_by_run_id ON bench_floor.task_run (task_id, run_id)");
                sql.execute("CREATE INDEX floor_task_run_age ON bench_floor.task_run (ended_at)");
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO bench_floor.task (name, description) VALUES (?, 'benchmark task')")) {
                for (int i = 0; i < tasks; i++) {
                    insert.setString(1, String.format("bench-%06d", i));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private static boolean exists(Connection connection, boolean derby) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, derby ? "BENCH_FLOOR" : "bench_floor",
                derby ? "TASK" : "task", null)) {
            return tables.next();
        }
    }
}
