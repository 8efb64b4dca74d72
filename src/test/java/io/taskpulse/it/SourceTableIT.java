package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URL;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * An application's own table on a live board (issue 16), on PostgreSQL and MariaDB: the tutorial's {@code webtask}
 * (status 1 / 2 / 3, writable through TaskPulse), a {@code legacy_job} table with text statuses that TaskPulse may
 * not write, and a source whose settings name a column that does not exist. One server, started with those settings
 * after the tables already hold rows, as a user would start it.
 */
@EnabledIf("io.taskpulse.it.ExternalWriter#sharedDatabase")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SourceTableIT {

    private static final String URL = ExternalWriter.databaseUrl();
    private static final String USER = ExternalWriter.databaseUser();
    private static MicroNode node;
    private static Api api;
    /** legacy_job as it was before TaskPulse first saw it: rows and definition. TaskPulse never writes it. */
    private static String legacyBefore;
    private static String webtaskDefinitionBefore;

    @BeforeAll
    static void tablesWithRowsThenAServerThatWatchesThem() throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS webtask");
            sql.execute("DROP TABLE IF EXISTS legacy_job");
            if (ExternalWriter.postgresql()) {
                // What Django's migrate creates for the tutorial's model on PostgreSQL.
                sql.execute("CREATE TABLE webtask (id serial PRIMARY KEY, webtask_name varchar(100) NOT NULL, "
                        + "webtask_stu integer NOT NULL, webtask_msg varchar(200) NOT NULL DEFAULT '', updated timestamptz)");
                sql.execute("CREATE TABLE legacy_job (job_code varchar(40) PRIMARY KEY, title text, state varchar(10) NOT NULL, "
                        + "CONSTRAINT legacy_state CHECK (state IN ('new', 'ok', 'bad', 'odd')))");
            } else {
                sql.execute("CREATE TABLE webtask (id int AUTO_INCREMENT PRIMARY KEY, webtask_name varchar(100) NOT NULL, "
                        + "webtask_stu int NOT NULL, webtask_msg varchar(200) NOT NULL DEFAULT '', updated datetime(6)) "
                        + "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci");
                sql.execute("CREATE TABLE legacy_job (job_code varchar(40) PRIMARY KEY, title text, state varchar(10) NOT NULL, "
                        + "CONSTRAINT legacy_state CHECK (state IN ('new', 'ok', 'bad', 'odd'))) "
                        + "ENGINE=InnoDB DEFAULT CHARSET=latin1");
            }
            sql.execute("INSERT INTO webtask (webtask_name, webtask_stu, webtask_msg) VALUES ('nightly backup', 2, 'done'), "
                    + "('report mail', 3, 'smtp refused'), ('cleanup', 1, '')");
            sql.execute("INSERT INTO legacy_job (job_code, title, state) VALUES ('J-1', 'Ledger sync', 'ok'), "
                    + "('J-2', 'Invoice run', 'bad'), ('J-3', NULL, 'odd')");
        }
        legacyBefore = fingerprint("legacy_job", "job_code");
        webtaskDefinitionBefore = definition("webtask");
        node = MicroNode.start(
                "-Dtaskpulse.db.url=" + URL, "-Dtaskpulse.db.user=" + USER, "-Dtaskpulse.poll.interval=PT1S",
                "-Dtaskpulse.sources=webtask,legacy,broken,missing",
                "-Dtaskpulse.source.webtask.table=webtask", "-Dtaskpulse.source.webtask.name=webtask_name",
                "-Dtaskpulse.source.webtask.status=webtask_stu", "-Dtaskpulse.source.webtask.message=webtask_msg",
                "-Dtaskpulse.source.webtask.changed-at=updated",
                "-Dtaskpulse.source.webtask.map=1=NOT_RUN,2=SUCCEEDED,3=FAILED", "-Dtaskpulse.source.webtask.writable=true",
                "-Dtaskpulse.source.legacy.table=legacy_job", "-Dtaskpulse.source.legacy.key=job_code",
                "-Dtaskpulse.source.legacy.name=title", "-Dtaskpulse.source.legacy.status=state",
                "-Dtaskpulse.source.legacy.map=new=NOT_RUN,ok=SUCCEEDED,bad=FAILED",
                "-Dtaskpulse.source.broken.table=webtask", "-Dtaskpulse.source.broken.status=no_such_column",
                "-Dtaskpulse.source.broken.map=1=NOT_RUN",
                "-Dtaskpulse.source.missing.table=no_such_table", "-Dtaskpulse.source.missing.status=stu",
                "-Dtaskpulse.source.missing.map=1=NOT_RUN").awaitReady();
        api = new Api(url(node));
    }

    @AfterAll
    static void stop() throws SQLException {
        if (node != null) {
            node.close();
        }
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS webtask");
            sql.execute("DROP TABLE IF EXISTS legacy_job");
            sql.execute("DELETE FROM task WHERE source IS NOT NULL");
            sql.execute("DELETE FROM task_source");
        }
    }

    @Test
    @Order(1)
    void rowsThatWereThereBeforeTheStartAreTasksWithTheirStatusesMapped() {
        Map<String, String> seen = sourceTasks();
        assertEquals("nightly backup|SUCCEEDED|done", seen.get("webtask:1"));
        assertEquals("report mail|FAILED|smtp refused", seen.get("webtask:2"));
        assertEquals("cleanup|NOT_RUN|", seen.get("webtask:3"));
        assertEquals("Ledger sync|SUCCEEDED|", seen.get("legacy:J-1"));
        assertEquals("Invoice run|FAILED|", seen.get("legacy:J-2"));
        // No title: the key is the name. 'odd' is in no mapping: UNKNOWN, with the raw value shown.
        assertEquals("J-3|UNKNOWN|", seen.get("legacy:J-3"));
        JsonObject odd = byKey("legacy", "J-3");
        assertEquals("odd", odd.getString("sourceValue"));
    }

    @Test
    @Order(2)
    void aSourceWithAWrongColumnOrTableIsNotInstalledAndHealthSaysWhichSettingToFix() throws SQLException {
        HttpResponse<String> health = api.send("GET", "health", null, null);
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("taskpulse.source.broken.status") && health.body().contains("no_such_column"),
                health.body());
        assertTrue(health.body().contains("taskpulse.source.missing.table: no table no_such_table"), health.body());
        HttpResponse<String> sources = api.send("GET", "api/sources", null, null);
        assertTrue(sources.body().contains("\"name\":\"broken\",\"state\":\"FAILED\""), sources.body());
        assertTrue(sources.body().contains("\"name\":\"webtask\",\"state\":\"INSTALLED\""), sources.body());
        // Nothing of the broken source was installed: only webtask's own trigger(s) are on the table.
        assertEquals(ExternalWriter.postgresql() ? 1 : 3, triggersOn("webtask"));
    }

    @Test
    @Order(3)
    void everyWriteToTheTableReachesASocketAndAPollerInOrderWithNothingSkipped() throws Exception {
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            ClientBoard board = new ClientBoard();
            board.apply(socket.next());
            long polled = api.revision();
            List<Integer> ids = new ArrayList<>();
            try (Connection db = connect()) {
                for (int i = 0; i < 20; i++) {
                    ids.add(insert(db, "job " + i, 1));
                }
                for (int round = 0; round < 5; round++) {
                    for (int id : ids) {
                        update(db, id, 1 + ThreadLocalRandom.current().nextInt(3), "round " + round);
                    }
                }
                update(db, ids.get(0), 7, "a value no mapping names");
                try (Statement sql = db.createStatement()) {
                    sql.executeUpdate("DELETE FROM webtask WHERE id = " + ids.get(1));
                    // A write that changes nothing the board shows is no change.
                    sql.executeUpdate("UPDATE webtask SET webtask_stu = webtask_stu WHERE id = " + ids.get(2));
                }
            }
            Map<Long, String> database = caughtUp(socket, board);
            // A poller that asked from before the writes gets the same final state of every task.
            JsonObject changes = Api.ok(api.feed("since=" + polled));
            for (JsonValue change : changes.getJsonArray("tasks")) {
                JsonObject task = change.asJsonObject();
                if (!task.containsKey("deleted") && task.containsKey("name")) {
                    assertEquals(database.get(task.getJsonNumber("id").longValue()), ClientBoard.state(task));
                }
            }
            JsonObject unknown = byKey("webtask", String.valueOf(ids.get(0)));
            assertEquals("UNKNOWN", unknown.getString("status"));
            assertEquals("7", unknown.getString("sourceValue"));
        }
    }

    @Test
    @Order(4)
    void writersThatCommitOutOfOrderNeverMakeASocketSkipAChange() throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (Connection db = connect()) {
            for (int i = 0; i < 6; i++) {
                ids.add(insert(db, "concurrent " + i, 1));
            }
        }
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            ClientBoard board = new ClientBoard();
            board.apply(socket.next());
            ExecutorService writers = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int n = 0; n < 15; n++) {
                        try (Connection db = connect()) {
                            db.setAutoCommit(false);
                            update(db, ids.get(ThreadLocalRandom.current().nextInt(ids.size())),
                                    1 + ThreadLocalRandom.current().nextInt(3), "writer " + writer + "/" + n);
                            Thread.sleep(ThreadLocalRandom.current().nextLong(0, 200)); // commits late, out of order
                            db.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(2, TimeUnit.MINUTES);
            }
            writers.shutdown();
            Map<Long, String> database = caughtUp(socket, board);
            assertEquals(database, board.tasks());
        }
    }

    @Test
    @Order(5)
    void aReportThroughTheApiWritesTheirStatusColumnOnlyWhereTheOperatorAllowsIt() throws SQLException {
        JsonObject backup = byKey("webtask", "1");
        HttpResponse<String> reported = api.send("PUT", "api/tasks/" + backup.getInt("id") + "/status", "application/json",
                "{\"status\":\"FAILED\",\"message\":\"disk full\"}");
        assertEquals(200, reported.statusCode(), reported.body());
        assertEquals("FAILED", Api.object(reported.body()).getString("status"));
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet row = sql.executeQuery("SELECT webtask_stu, webtask_msg, updated FROM webtask WHERE id = 1")) {
            row.next();
            assertEquals(3, row.getInt(1), "FAILED is written as the mapping's 3");
            assertEquals("disk full", row.getString(2));
            assertTrue(row.getTimestamp(3) != null, "the changed-at column is set");
        }
        JsonObject legacy = byKey("legacy", "J-1");
        Api.assertProblem(409, "taskpulse.source.legacy.writable", api.send("PUT", "api/tasks/" + legacy.getInt("id")
                + "/status", "application/json", "{\"status\":\"FAILED\"}"));
        Api.assertProblem(409, "runs", api.send("POST", "api/tasks/" + backup.getInt("id") + "/start", null, null));
        Api.assertProblem(409, "source webtask", api.send("DELETE", "api/tasks/" + backup.getInt("id"), null, null));
        Api.assertProblem(409, "source webtask", api.send("PATCH", "api/tasks/" + backup.getInt("id"),
                "application/merge-patch+json", "{\"name\":\"renamed\"}"));
        // What is TaskPulse's own on the task stays allowed: tags.
        HttpResponse<String> tagged = api.send("PATCH", "api/tasks/" + backup.getInt("id"), "application/merge-patch+json",
                "{\"tags\":[\"from:django\"]}");
        assertEquals(200, tagged.statusCode(), tagged.body());
    }

    @Test
    @Order(6)
    void uninstallingRemovesEveryTriggerAndTaskAndLeavesTheTablesAsTheyWere() throws SQLException {
        String webtaskRows = fingerprint("webtask", "id");
        assertEquals(204, api.send("DELETE", "api/sources/webtask", null, null).statusCode());
        assertEquals(204, api.send("DELETE", "api/sources/legacy", null, null).statusCode());
        Api.assertProblem(404, "no source", api.send("DELETE", "api/sources/legacy", null, null));
        assertEquals(0, triggersOn("webtask"));
        assertEquals(0, triggersOn("legacy_job"));
        assertEquals(Map.of(), api.await("the sources' tasks gone", SourceTableIT::sourceTasks, Map::isEmpty));
        assertEquals(legacyBefore, fingerprint("legacy_job", "job_code"), "legacy_job is byte for byte as before");
        assertEquals(webtaskRows, fingerprint("webtask", "id"), "uninstalling changed no row of webtask");
        assertEquals(webtaskDefinitionBefore, definition("webtask"), "webtask's columns and constraints are as before");
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE webtask SET webtask_stu = 3 WHERE id = 3"); // no trigger, no error
        }
    }

    // --- helpers

    /**
     * Waits until TaskPulse shows every row of webtask as it is in the table, every change is stamped, and the socket's
     * board equals the database; then checks that the socket saw no gap or step back. Returns the database's state.
     */
    private static Map<Long, String> caughtUp(SocketClient socket, ClientBoard board) throws SQLException {
        Map<String, String> expected = tableState();
        api.await("the table's writes published", () -> api.tasks().stream().map(JsonValue::asJsonObject).toList(),
                tasks -> tasks.stream().allMatch(t -> t.containsKey("revision"))
                        && expected.equals(tasks.stream().filter(t -> "webtask".equals(t.getString("source", null)))
                                .collect(Collectors.toMap(t -> "webtask:" + t.getString("sourceKey"), ClientBoard::state,
                                        (a, b) -> a, TreeMap::new))));
        Map<Long, String> database = api.tasks().stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(t -> t.getJsonNumber("id").longValue(), ClientBoard::state));
        api.await("the socket's board equal to the database", () -> {
            for (JsonObject message = socket.poll(); message != null; message = socket.poll()) {
                board.apply(message);
            }
            return board.tasks();
        }, database::equals);
        assertEquals(List.of(), board.violations());
        return database;
    }

    private static URL url(MicroNode node) {
        try {
            return node.base().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, USER, "");
    }

    private static int insert(Connection db, String name, int status) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO webtask (webtask_name, webtask_stu) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, name);
            insert.setInt(2, status);
            insert.executeUpdate();
            try (ResultSet key = insert.getGeneratedKeys()) {
                key.next();
                return key.getInt(1);
            }
        }
    }

    private static void update(Connection db, int id, int status, String message) throws SQLException {
        try (PreparedStatement update = db.prepareStatement(
                "UPDATE webtask SET webtask_stu = ?, webtask_msg = ? WHERE id = ?")) {
            update.setInt(1, status);
            update.setString(2, message);
            update.setInt(3, id);
            update.executeUpdate();
        }
    }

    /** "source:key" → "name|STATUS|message" of every task that mirrors a source row. */
    private static Map<String, String> sourceTasks() {
        return api.tasks().stream().map(JsonValue::asJsonObject).filter(t -> t.containsKey("source"))
                .collect(Collectors.toMap(t -> t.getString("source") + ":" + t.getString("sourceKey"), ClientBoard::state,
                        (a, b) -> a, TreeMap::new));
    }

    private static JsonObject byKey(String source, String key) {
        return api.tasks().stream().map(JsonValue::asJsonObject)
                .filter(t -> source.equals(t.getString("source", null)) && key.equals(t.getString("sourceKey", null)))
                .findFirst().orElseThrow(() -> new AssertionError("no task for " + source + ":" + key));
    }

    /** What the board must show for webtask's rows: "webtask:id" → "name|STATUS|message". */
    private static Map<String, String> tableState() throws SQLException {
        Map<String, String> state = new TreeMap<>();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT id, webtask_name, webtask_stu, webtask_msg FROM webtask")) {
            while (rows.next()) {
                String status = switch (rows.getInt(3)) {
                    case 1 -> "NOT_RUN";
                    case 2 -> "SUCCEEDED";
                    case 3 -> "FAILED";
                    default -> "UNKNOWN";
                };
                String message = rows.getString(4);
                state.put("webtask:" + rows.getInt(1), rows.getString(2) + "|" + status + "|" + (message == null ? "" : message));
            }
        }
        return state;
    }

    /** Every row, every column, as text, in key order. */
    private static String fingerprint(String table, String key) throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection db = connect(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("SELECT * FROM " + table + " ORDER BY " + key)) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    all.append(meta.getColumnName(c)).append('=').append(rows.getString(c)).append('\t');
                }
                all.append('\n');
            }
        }
        return all + definition(table);
    }

    /** Columns, types, defaults, constraints and indexes as the database describes them. */
    private static String definition(String table) throws SQLException {
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            if (ExternalWriter.mariadb()) {
                try (ResultSet create = sql.executeQuery("SHOW CREATE TABLE " + table)) {
                    create.next();
                    // The next AUTO_INCREMENT value moves with the test's own inserts; it is no part of the definition.
                    return create.getString(2).replaceAll(" AUTO_INCREMENT=\\d+", "");
                }
            }
            StringBuilder all = new StringBuilder();
            for (String query : new String[]{
                "SELECT column_name, data_type, is_nullable, column_default, character_maximum_length FROM "
                        + "information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position",
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '" + table + "'::regclass ORDER BY conname",
                "SELECT indexdef FROM pg_indexes WHERE tablename = '" + table + "' ORDER BY indexname"}) {
                try (ResultSet rows = sql.executeQuery(query)) {
                    while (rows.next()) {
                        for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
                            all.append(rows.getString(c)).append('\t');
                        }
                        all.append('\n');
                    }
                }
            }
            return all.toString();
        }
    }

    private static int triggersOn(String table) throws SQLException {
        try (Connection db = connect(); PreparedStatement count = db.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = ?")) {
            count.setString(1, table);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                // PostgreSQL lists a trigger once per event (INSERT, UPDATE, DELETE).
                return ExternalWriter.postgresql() ? rows.getInt(1) / 3 : rows.getInt(1);
            }
        }
    }
}
