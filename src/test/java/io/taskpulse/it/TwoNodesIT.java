package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Two TaskPulse servers on different ports sharing one PostgreSQL, as behind a load balancer. Revisions come
 * from the database, so a change made on one node reaches the other's sockets, and a client can resume on
 * either. Needs a database both can reach, so it runs with -Ppostgresql or -Pmariadb (embedded Derby belongs to one process).
 */
@EnabledIf("io.taskpulse.it.ExternalWriter#sharedDatabase")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static MicroNode nodeA;
    private static MicroNode nodeB;

    @BeforeAll
    static void startTwoNodes() {
        String[] settings = {
            "-Dtaskpulse.db.url=" + ExternalWriter.databaseUrl(),
            "-Dtaskpulse.db.user=" + ExternalWriter.databaseUser(),
            "-Dtaskpulse.poll.interval=PT" + POLL_INTERVAL.toSeconds() + "S"};
        nodeA = MicroNode.start(settings);
        nodeB = MicroNode.start(settings);
        CompletableFuture.allOf(CompletableFuture.runAsync(nodeA::awaitReady), CompletableFuture.runAsync(nodeB::awaitReady)).join();
    }

    @AfterAll
    static void stopNodes() {
        for (MicroNode node : new MicroNode[]{nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    @Order(1)
    void statusReportedOnNodeAReachesASocketOnNodeBWithinAPollInterval() {
        Api onA = api(nodeA);
        Api onB = api(nodeB);
        String name = "two-nodes-" + UUID.randomUUID().toString().substring(0, 8);
        onA.create(name, "reported on A, watched on B");
        onB.awaitPublished(name);
        try (SocketClient socketOnB = SocketClient.connect(onB.base(), "")) {
            socketOnB.next();

            Instant reported = Instant.now();
            onA.report(name, "FAILED", "seen across nodes");
            JsonObject change = socketOnB.nextMatching(m -> TaskBoardIT.hasTask(m, name, "FAILED"));
            Duration took = Duration.between(reported, Instant.now());

            assertEquals("FAILED", change.getJsonArray("tasks").getJsonObject(0).getString("status"));
            // B learns of A's write from the database, on its next tick: one interval, plus a margin for a busy box.
            assertTrue(took.compareTo(POLL_INTERVAL.plusSeconds(4)) < 0, "took " + took);
        }
    }

    /**
     * Both servers check for overdue tasks on every tick; the transition must still happen once (a conditional
     * UPDATE), not once per server: a socket sees exactly one change that makes the task overdue. Real time: the
     * shortest schedule, a minute with no grace.
     */
    @Test
    @Order(2)
    void anOverdueTaskIsMarkedOnceWhateverTheNumberOfServers() {
        Api onA = api(nodeA);
        Api onB = api(nodeB);
        String name = "two-nodes-overdue-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = onA.send("POST", "api/tasks", "application/json",
                "{\"name\":\"" + name + "\",\"schedule\":\"PT1M\",\"grace\":\"PT0S\"}");
        assertEquals(201, created.statusCode(), created.body());
        onB.awaitPublished(name);
        try (SocketClient socketOnB = SocketClient.connect(onB.base(), "")) {
            socketOnB.next();
            JsonObject overdue = socketOnB.nextMatching(m -> TaskBoardIT.hasTask(m, name, "NOT_RUN")
                    && m.getJsonArray("tasks").stream().map(t -> t.asJsonObject())
                            .anyMatch(t -> name.equals(t.getString("name")) && t.getBoolean("overdue", false)),
                    Duration.ofSeconds(90));
            long markedAt = overdue.getJsonNumber("revision").longValue();
            // Both servers get three more ticks (a heartbeat each) to mark it again; a second marking would be a
            // change of its own, with a revision of its own.
            try (SocketClient socketOnA = SocketClient.connect(onA.base(), "")) {
                socketOnA.next();
                for (int tick = 0; tick < 3; tick++) {
                    socketOnA.nextMatching(m -> "heartbeat".equals(m.getString("type")));
                    socketOnB.nextMatching(m -> "heartbeat".equals(m.getString("type")));
                }
            }
            JsonObject afterwards = onB.task(name);
            assertTrue(afterwards.getBoolean("overdue"));
            assertEquals(markedAt, afterwards.getJsonNumber("revision").longValue(), "the task changed again: " + afterwards);
        }
    }

    @Test
    @Order(3)
    void clientThatLosesNodeAResumesOnNodeBExactlyFromItsRevision() {
        Api onA = api(nodeA);
        Api onB = api(nodeB);
        String changed = "resumed-" + UUID.randomUUID().toString().substring(0, 8);
        String deleted = "gone-" + UUID.randomUUID().toString().substring(0, 8);
        onA.create(changed, "changes while the client is away");
        onA.create(deleted, "deleted while the client is away");
        onA.awaitPublished(changed);
        onA.awaitPublished(deleted);
        long held;
        try (SocketClient socketOnA = SocketClient.connect(onA.base(), "")) {
            held = socketOnA.next().getJsonNumber("revision").longValue();
        }
        long deletedId = onA.task(deleted).getJsonNumber("id").longValue();

        nodeA.kill();
        onB.report(changed, "SUCCEEDED", "done while A was down");
        onB.delete(deleted);
        long now = onB.await("B published both changes", onB::revision, r -> r >= held + 2);

        try (SocketClient socketOnB = SocketClient.connect(onB.base(), "since=" + held)) {
            JsonObject missed = socketOnB.next();
            assertEquals("changes", missed.getString("type"), missed.toString());
            assertEquals(held, missed.getJsonNumber("from").longValue());
            assertEquals(now, missed.getJsonNumber("revision").longValue());
            assertEquals(Set.of(changed), TaskBoardIT.names(missed.getJsonArray("tasks")));
            assertEquals(List.of(deletedId),
                    missed.getJsonArray("deleted").stream().map(v -> ((JsonNumber) v).longValue()).toList());
        }
    }

    private static Api api(MicroNode node) {
        try {
            return new Api(node.base().toURL(), "");
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

}
