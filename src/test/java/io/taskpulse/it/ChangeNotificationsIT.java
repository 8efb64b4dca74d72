package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * On PostgreSQL a script's direct SQL write reaches open sockets without waiting for the next poll: the schema's
 * trigger notifies, the server LISTENs and wakes its poller. The server here polls only every
 * {@value #POLL_MINUTES} minutes, far beyond every wait below, so only a notification can deliver the change in time.
 */
@EnabledIf("io.taskpulse.it.ExternalWriter#postgresql")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChangeNotificationsIT {

    private static final int POLL_MINUTES = 10;
    private static MicroNode node;
    private static Api api;

    @BeforeAll
    static void start() throws MalformedURLException {
        node = MicroNode.start(
                "-Dtaskpulse.db.url=" + ExternalWriter.databaseUrl(),
                "-Dtaskpulse.db.user=" + ExternalWriter.databaseUser(),
                "-Dtaskpulse.poll.interval=PT" + POLL_MINUTES + "M").awaitReady();
        api = new Api(node.base().toURL());
        api.await("the server listening", ExternalWriter::listeners, listening -> listening > 0);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void aDirectSqlWriteReachesASocketWithoutWaitingForThePoll() {
        assertSqlWriteArrives("sql-notified-");
    }

    @Test
    @Order(2)
    void whenTheListeningSessionIsEndedTheServerListensAgain() {
        assertTrue(ExternalWriter.terminateListeners() > 0, "a listening session to end");
        api.await("the server listening again", ExternalWriter::listeners, listening -> listening > 0);

        assertSqlWriteArrives("sql-notified-again-");
    }

    /** A run's own columns notify too (V4): another server's start reaches this one's sockets without a poll. */
    @Test
    @Order(2)
    void aRunStartedElsewhereReachesASocketWithoutWaitingForThePoll() {
        String name = "sql-started-" + UUID.randomUUID().toString().substring(0, 8);
        api.create(name, "started by another server");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            assertEquals("snapshot", socket.next().getString("type"));

            // What another TaskPulse server writes for a start: only the run's columns change.
            ExternalWriter.update(name, "running_since = CURRENT_TIMESTAMP, run_id = 'elsewhere-1'");

            socket.nextMatching(m -> m.containsKey("tasks") && m.getJsonArray("tasks").stream()
                    .map(t -> t.asJsonObject()).anyMatch(t -> name.equals(t.getString("name"))
                            && "RUNNING".equals(t.getString("state", ""))));
        }
    }

    @Test
    @Order(3)
    void whileNotifiedAnIdleServerSendsHeartbeatsWithoutReadingTheDatabase() throws MalformedURLException {
        try (MicroNode quiet = MicroNode.start(
                "-Dtaskpulse.db.url=" + ExternalWriter.databaseUrl(),
                "-Dtaskpulse.db.user=" + ExternalWriter.databaseUser(),
                "-Dtaskpulse.poll.interval=PT0.2S", "-Dtaskpulse.poll.listening-interval=PT60S").awaitReady()) {
            Api quietApi = new Api(quiet.base().toURL());
            quietApi.await("both servers listening", ExternalWriter::listeners, listening -> listening >= 2);
            double readsBefore = databaseReads(quietApi);

            try (SocketClient socket = SocketClient.connect(quiet.base(), "")) {
                assertEquals("snapshot", socket.next().getString("type"));
                // 20 ticks of 0.2 s: a heartbeat each, as without notifications.
                for (int i = 0; i < 20; i++) {
                    socket.nextMatching(m -> "heartbeat".equals(m.getString("type")));
                }
            }

            // Polling every tick would have read the database 20 times; notified of every commit, it needs none.
            double reads = databaseReads(quietApi) - readsBefore;
            assertTrue(reads <= 1, reads + " database reads in 20 ticks");
            HttpResponse<String> health = quietApi.send("GET", "health", null, null);
            assertEquals(200, health.statusCode(), health.body());
        }
    }

    /** Polls that read the database, as GET /metrics counts them. */
    private static double databaseReads(Api on) {
        HttpResponse<String> metrics = on.send("GET", "metrics", null, null);
        assertEquals(200, metrics.statusCode(), metrics.body());
        return Scrape.parse(metrics.body()).value("taskpulse_poll_duration_seconds_count");
    }

    private static void assertSqlWriteArrives(String prefix) {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        // An API write wakes the poller itself: the task is on the board at once.
        api.create(name, "written by a script's SQL");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            assertEquals("snapshot", socket.next().getString("type"));

            ExternalWriter.report(api, name, "FAILED", "reported by SQL", 0);

            // Within the client's patience (Api.PATIENCE, 30 s): a twentieth of the poll interval.
            socket.nextMatching(m -> TaskBoardIT.hasTask(m, name, "FAILED"));
        }
    }
}
