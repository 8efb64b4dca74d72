package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's run command as a newcomer sees it: Payara Micro, embedded Derby in a fresh directory, demo mode on.
 * The demo seeds its tasks from a start-up observer that may run before the poller's: the page must still go live
 * and stay healthy (it once did not: the seeding's wake-up reached the poller before it had started, and the feed
 * never polled again while /health said DOWN).
 */
class DemoModeIT {

    private static final Set<String> DEMO_TASKS = Set.of("demo-nightly-backup", "demo-deploy-web", "demo-smoke-tests",
            "demo-rotate-logs", "demo-sync-inventory", "demo-renew-certificates");

    private static MicroNode node;

    @BeforeAll
    static void start() {
        node = MicroNode.start(
                "-Dderby.system.home=" + System.getProperty("it.tmp", "target") + "/derby-demo-" + System.nanoTime(),
                "-Dtaskpulse.db.url=", "-Dtaskpulse.demo=true", "-Dtaskpulse.poll.interval=PT1S").awaitReady();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void demoChangesReachAnOpenSocketAndTheServerStaysHealthy() throws Exception {
        Api api = new Api(node.base().toURL());
        Set<String> names = api.tasks().stream()
                .map(task -> task.asJsonObject().getString("name"))
                .filter(name -> name.startsWith("demo-"))
                .collect(Collectors.toSet());
        assertEquals(DEMO_TASKS, names, "the demo tasks are seeded");

        try (SocketClient socket = SocketClient.connect(node.base(), "")) {
            JsonObject snapshot = socket.next();
            assertEquals("snapshot", snapshot.getString("type"));
            long revision = snapshot.getJsonNumber("revision").longValue();
            // The demo changes one task every 3 s: two of them are two polls on the feed, well past start-up.
            for (int i = 0; i < 2; i++) {
                JsonObject changes = socket.nextMatching(m -> "changes".equals(m.getString("type")));
                assertEquals(revision, changes.getJsonNumber("from").longValue(), "no gap in the feed");
                revision = changes.getJsonNumber("revision").longValue();
                assertTrue(changes.getJsonArray("tasks").stream()
                        .map(t -> t.asJsonObject().getString("name"))
                        .allMatch(DEMO_TASKS::contains), "only demo tasks change: " + changes);
            }
        }

        HttpResponse<String> health = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(node.base().resolve("health")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", Api.object(health.body()).getString("status"));
    }

    /**
     * A newcomer follows the README with the demo running: their nightly-backup is theirs (the demo once seeded a
     * task of that name, so the POST got 409, and the demo overwrote the script's report a few seconds later).
     */
    @Test
    void theReadmesTaskNamesAreFreeAndTheDemoNeverWritesToAUsersTask() throws Exception {
        Api api = new Api(node.base().toURL());
        api.create("nightly-backup", "Dump the orders database");
        JsonObject reported = api.report("nightly-backup", "FAILED", "disk full");
        long before = api.revision();
        // Three demo changes (one every 3 s): each had its chance to pick this task, if the demo could.
        api.await("three demo changes", api::revision, revision -> revision >= before + 3);
        JsonObject after = api.task("nightly-backup");
        assertEquals("FAILED", after.getString("status"), after.toString());
        assertEquals("disk full", after.getString("message"), after.toString());
        assertEquals(reported.getString("changedAt"), after.getString("changedAt"), "no write since the report");
    }
}
