package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The moment after a deploy when every cron job reports at :00: a server that has just started on a fresh
 * database gets 32 creates at once, then 32 reports at once, then 32 deletes at once. Every one is answered 2xx,
 * and the database holds exactly what was answered: every task, one history entry per create and per report (a
 * write that TaskPulse retried inside the server is not written twice), and none left after the deletes.
 * <p>
 * It once failed here on Derby: the triggers' statements were compiled on first use, by every first writer at
 * once, and those compiles deadlocked on Derby's dictionary (SYSDEPENDS), so scripts got 503s after 20 s lock
 * timeouts. On embedded Derby each repetition uses a new database directory; with -Ppostgresql a new database
 * on the ITs' PostgreSQL, dropped afterwards.
 */
class FirstWritesIT {

    private static final int WRITERS = 32;

    @RepeatedTest(2)
    void aFreshServersFirstConcurrentWritesAreAllAnsweredAndNoneIsLost() throws Exception {
        try (FreshDatabase database = FreshDatabase.create();
             MicroNode node = MicroNode.start(database.settings()).awaitReady()) {
            Api api = api(node);
            String prefix = "cron-" + Long.toString(System.nanoTime(), 36) + "-";
            List<String> names = IntStream.range(0, WRITERS).mapToObj(i -> prefix + i).toList();
            String json = "application/json";

            Map<Integer, Integer> created = atOnce(i -> api.send("POST", "api/tasks", json,
                    Json.createObjectBuilder().add("name", names.get(i)).add("description", "a cron job").build().toString()));
            Map<Integer, Integer> reported = atOnce(i -> api.send("PUT", "api/tasks/by-name?name=" + Api.encode(names.get(i)), json,
                    Json.createObjectBuilder().add("status", "SUCCEEDED").add("message", "run " + i).build().toString()));

            assertEquals(Map.of(201, WRITERS), created, "answers to the first creates");
            assertEquals(Map.of(200, WRITERS), reported, "answers to the first reports");
            for (int i = 0; i < WRITERS; i++) {
                JsonObject task = api.task(names.get(i));
                assertEquals("SUCCEEDED", task.getString("status"), task.toString());
                assertEquals("run " + i, task.getString("message"), task.toString());
                JsonArray history = Api.structure(api.send("GET", "api/tasks/" + task.getJsonNumber("id") + "/history",
                        null, null).body()).asJsonArray();
                assertEquals(List.of("NOT_RUN", "SUCCEEDED"),
                        history.stream().map(h -> h.asJsonObject().getString("status")).sorted().toList(),
                        "one history entry per write: " + history);
            }

            Map<Integer, Integer> deleted = atOnce(i -> api.send("DELETE", "api/tasks/by-name?name=" + Api.encode(names.get(i)),
                    null, null));
            assertEquals(Map.of(204, WRITERS), deleted, "answers to the first deletes");
            Set<String> left = api.tasks().stream().map(t -> t.asJsonObject().getString("name"))
                    .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
            assertTrue(left.isEmpty(), "deleted tasks left behind: " + left);
        }
    }

    /**
     * Sends {@link #WRITERS} requests released together by a barrier, and counts the answers by status code.
     * A 5xx's problem document goes to the test output, for the record.
     */
    private static Map<Integer, Integer> atOnce(IntFunction<HttpResponse<String>> request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(WRITERS);
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                int writer = i;
                answers.add(writers.submit(() -> {
                    start.await();
                    return request.apply(writer);
                }));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                byStatus.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() >= 500) {
                    System.out.println(response.request().method() + " " + response.request().uri() + " -> "
                            + response.statusCode() + " " + response.body());
                }
            }
            System.out.println("answers by status: " + byStatus);
            return byStatus;
        } finally {
            writers.shutdownNow();
        }
    }

    private static Api api(MicroNode node) throws MalformedURLException {
        return new Api(node.base().toURL(), "");
    }

    /** A database no server has used yet: a new Derby directory, or a new PostgreSQL or MariaDB database. */
    private record FreshDatabase(String[] settings, String adminUrl, String name) implements AutoCloseable {

        static FreshDatabase create() throws SQLException {
            String poll = "-Dtaskpulse.poll.interval=PT1S";
            String target = System.getProperty("it.tmp", "target");
            String run = "firstwrites-" + System.nanoTime();
            if (!ExternalWriter.sharedDatabase()) {
                return new FreshDatabase(new String[]{"-Dderby.system.home=" + target + "/derby-" + run,
                        "-Dderby.stream.error.file=" + target + "/derby-" + run + ".log",
                        "-Dderby.locks.monitor=true",
                        "-Dtaskpulse.db.url=", poll}, null, null);
            }
            String url = ExternalWriter.databaseUrl();
            // PostgreSQL: connected to its maintenance database; MariaDB: to none.
            String adminUrl = url.replaceFirst("/[^/?]+(\\?|$)", ExternalWriter.mariadb() ? "/$1" : "/postgres$1");
            String name = run.replace('-', '_');
            admin(adminUrl, "CREATE DATABASE " + name);
            return new FreshDatabase(new String[]{"-Dtaskpulse.db.url=" + url.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"),
                    "-Dtaskpulse.db.user=" + ExternalWriter.databaseUser(), poll}, adminUrl, name);
        }

        @Override
        public void close() throws SQLException {
            if (name != null) {
                admin(adminUrl, "DROP DATABASE IF EXISTS " + name + (ExternalWriter.mariadb() ? "" : " WITH (FORCE)"));
            }
        }

        private static void admin(String url, String sql) throws SQLException {
            try (Connection connection = DriverManager.getConnection(url, ExternalWriter.databaseUser(), "");
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }
    }
}
