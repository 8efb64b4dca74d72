package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The tutorial's own app, for real (issue 16): a Django project (src/test/django, Debian's python3-django) migrates
 * its {@code Webtask} model itself, and a script changes the rows through the ORM ({@code create}, {@code save},
 * {@code filter().update()}, {@code delete}), one commit each, while a WebSocket client and a polling client watch a
 * TaskPulse that was only told which table and columns to show. On PostgreSQL and MariaDB.
 */
@EnabledIf("io.taskpulse.it.ExternalWriter#sharedDatabase")
class DjangoSourceIT {

    private static final Path PROJECT = Path.of("src", "test", "django").toAbsolutePath();
    private static final String PYTHON = "/usr/bin/python3";
    private static final Map<Integer, String> STATUSES = Map.of(1, "NOT_RUN", 2, "SUCCEEDED", 3, "FAILED");
    private static MicroNode node;
    private static Api api;

    @BeforeAll
    static void djangoMigratesThenTaskPulseStarts() throws Exception {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS web_webtask");
            sql.execute("DROP TABLE IF EXISTS django_migrations");
        }
        String migrated = python("manage.py", "migrate", "--no-input");
        assertTrue(migrated.contains("Applying web.0001_initial... OK"), migrated);
        node = MicroNode.start("-Dtaskpulse.db.url=" + ExternalWriter.databaseUrl(),
                "-Dtaskpulse.db.user=" + ExternalWriter.databaseUser(), "-Dtaskpulse.poll.interval=PT1S",
                "-Dtaskpulse.sources=webtask", "-Dtaskpulse.source.webtask.table=web_webtask",
                "-Dtaskpulse.source.webtask.name=webtask_name", "-Dtaskpulse.source.webtask.status=webtask_stu",
                "-Dtaskpulse.source.webtask.message=webtask_msg",
                "-Dtaskpulse.source.webtask.map=1=NOT_RUN,2=SUCCEEDED,3=FAILED").awaitReady();
        api = new Api(node.base().toURL());
    }

    @AfterAll
    static void stop() throws SQLException {
        if (api != null) {
            api.send("DELETE", "api/sources/webtask", null, null);
        }
        if (node != null) {
            node.close();
        }
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS web_webtask");
            sql.execute("DROP TABLE IF EXISTS django_migrations");
            sql.execute("DELETE FROM task WHERE source IS NOT NULL");
            sql.execute("DELETE FROM task_source");
        }
    }

    @Test
    void everyOrmWriteReachesASocketAndAPollerInCommitOrderWithNothingSkipped() throws Exception {
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            ClientBoard board = new ClientBoard();
            board.apply(socket.next());
            ClientBoard polled = new ClientBoard();
            polled.apply(Api.ok(api.feed("")));
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> poller = CompletableFuture.runAsync(() -> {
                while (writing.get()) {
                    pollOnce(polled);
                }
            });

            // 12 rows created, 4 rounds of save(), one filter().update(), one delete: 62 commits.
            List<String[]> writes = python("writer.py", "12", "4").lines().map(l -> l.split(" ", 3)).toList();
            assertEquals(62, writes.size(), "the writer's lines");
            Map<String, List<String>> written = new HashMap<>();
            for (String[] write : writes) {
                written.computeIfAbsent(write[0], k -> new ArrayList<>())
                        .add("0".equals(write[1]) ? "deleted" : STATUSES.get(Integer.parseInt(write[1])) + "|" + write[2]);
            }

            Map<String, String> expected = tableState();
            api.await("Django's writes published", () -> api.tasks().stream().map(JsonValue::asJsonObject).toList(),
                    tasks -> tasks.stream().allMatch(t -> t.containsKey("revision")) && expected.equals(webtasks(tasks)));
            Map<Long, String> database = api.tasks().stream().map(JsonValue::asJsonObject)
                    .collect(Collectors.toMap(t -> t.getJsonNumber("id").longValue(), ClientBoard::state));
            Map<String, List<String>> seen = new HashMap<>();
            api.await("the socket's board equal to the database", () -> {
                for (JsonObject message = socket.poll(); message != null; message = socket.poll()) {
                    board.apply(message);
                    record(message, seen);
                }
                return board.tasks();
            }, database::equals);
            writing.set(false);
            poller.get(1, TimeUnit.MINUTES);
            api.await("the poller's board equal to the database", () -> {
                pollOnce(polled);
                return polled.tasks();
            }, database::equals);

            assertEquals(List.of(), board.violations(), "socket");
            assertEquals(List.of(), polled.violations(), "poller");
            // In order: what the socket showed of each row is the ORM's writes to it, in their commit order (a client
            // that falls behind may get only the newest of several, never an older one after a newer one).
            for (Map.Entry<String, List<String>> row : seen.entrySet()) {
                List<String> ormOrder = written.get(row.getKey());
                if (ormOrder == null) {
                    continue; // a row that was there before (none here)
                }
                int at = -1;
                for (String state : row.getValue()) {
                    int next = ormOrder.subList(at + 1, ormOrder.size()).indexOf(state);
                    if (next < 0) {
                        fail("row " + row.getKey() + ": the socket showed " + row.getValue() + ", the ORM wrote " + ormOrder);
                    }
                    at += next + 1;
                }
            }
            assertTrue(seen.size() >= 11, "the socket saw the rows: " + seen.keySet());
        }
    }

    private static void pollOnce(ClientBoard polled) {
        HttpResponse<String> response = api.feed("since=" + polled.revision() + "&wait=2");
        if (response.statusCode() == 200) {
            polled.apply(Api.object(response.body()));
        } else if (response.statusCode() != 304) {
            throw new AssertionError("poll answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** sourceKey → "STATUS|message", or "deleted", for every task a message carries. */
    private static void record(JsonObject message, Map<String, List<String>> seen) {
        if (!"changes".equals(message.getString("type"))) {
            return;
        }
        for (JsonValue value : message.getJsonArray("tasks")) {
            JsonObject task = value.asJsonObject();
            if ("webtask".equals(task.getString("source", null))) {
                seen.computeIfAbsent(task.getString("sourceKey"), k -> new ArrayList<>())
                        .add(task.getString("status") + "|" + task.getString("message", ""));
            }
        }
    }

    private static Map<String, String> webtasks(List<JsonObject> tasks) {
        return tasks.stream().filter(t -> "webtask".equals(t.getString("source", null)))
                .collect(Collectors.toMap(t -> t.getString("sourceKey"), ClientBoard::state, (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> tableState() throws SQLException {
        Map<String, String> state = new TreeMap<>();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT id, webtask_name, webtask_stu, webtask_msg FROM web_webtask")) {
            while (rows.next()) {
                state.put(String.valueOf(rows.getInt(1)), rows.getString(2) + "|" + STATUSES.get(rows.getInt(3)) + "|"
                        + rows.getString(4));
            }
        }
        return state;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(ExternalWriter.databaseUrl(), ExternalWriter.databaseUser(), "");
    }

    /** Runs Debian's python3 in the Django project against the ITs' database; fails with its output unless it exits 0. */
    private static String python(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true);
        URI url = URI.create(ExternalWriter.databaseUrl().substring("jdbc:".length()));
        Map<String, String> env = builder.environment();
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("TUTORIAL_DB_ENGINE", ExternalWriter.postgresql() ? "postgresql" : "mysql");
        env.put("TUTORIAL_DB_HOST", url.getHost());
        env.put("TUTORIAL_DB_PORT", String.valueOf(url.getPort()));
        env.put("TUTORIAL_DB_NAME", url.getPath().substring(1));
        env.put("TUTORIAL_DB_USER", ExternalWriter.databaseUser());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError(PYTHON + " not found: install python3-django python3-psycopg2 python3-mysqldb "
                    + "(.ci/run does)", e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("python3 " + String.join(" ", arguments) + " failed"
                    + (output.contains("No module named") ? " (install python3-django python3-psycopg2 python3-mysqldb;"
                    + " .ci/run does)" : "") + ":\n" + output);
        }
        return output;
    }
}
