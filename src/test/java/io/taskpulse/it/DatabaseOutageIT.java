package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The database goes away and comes back while a real server (Payara Micro, {@link MicroNode}) runs: the server
 * reaches PostgreSQL or MariaDB through a {@link TcpProxy} that the test cuts (open connections dropped, new ones
 * reset) and restores, while the test itself still reaches the database directly, like any other program.
 * <p>
 * A browser (see {@link Browser}) watches the page through it all.
 * <p>
 * PostgreSQL or MariaDB only (-Ppostgresql, -Pmariadb): embedded Derby lives inside the server's process, so nothing can come between
 * them; an outage of embedded Derby is a crash of the server itself.
 */
@EnabledIf("io.taskpulse.it.ExternalWriter#sharedDatabase")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageIT {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(4);
    /** Poll intervals the outage lasts at least (15 s): with backoff about 6 attempts (0.5, 1, 2, 4, 4, ... s apart), without it 30. */
    private static final int OUTAGE_INTERVALS = 30;
    /** Less than one of EclipseLink's default retry delays (5 s): a request fails at once, it does not hang. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final int CONCURRENT_WRITES = 48;

    private static TcpProxy proxy;
    private static MicroNode node;
    private static Api api;
    private static SocketClient socket;
    private static Browser browser;
    private static final String watched = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    private static long heldBeforeOutage;

    @BeforeAll
    static void startNodeBehindProxy() throws MalformedURLException {
        Matcher url = Pattern.compile("jdbc:(postgresql|mariadb)://([^:/]+)(?::(\\d+))?/(.*)").matcher(ExternalWriter.databaseUrl());
        assertTrue(url.matches(), "a PostgreSQL or MariaDB URL with host and database: " + ExternalWriter.databaseUrl());
        int defaultPort = "mariadb".equals(url.group(1)) ? 3306 : 5432;
        proxy = new TcpProxy(url.group(2), url.group(3) == null ? defaultPort : Integer.parseInt(url.group(3)));
        node = MicroNode.start(
                "-Dtaskpulse.db.url=jdbc:" + url.group(1) + "://127.0.0.1:" + proxy.port() + "/" + url.group(4),
                "-Dtaskpulse.db.user=" + ExternalWriter.databaseUser(),
                "-Dtaskpulse.poll.interval=" + POLL_INTERVAL,
                "-Dtaskpulse.poll.backoff.max=" + BACKOFF_MAX).awaitReady();
        api = new Api(node.base().toURL(), "");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (socket != null) {
            socket.close();
        }
        if (node != null) {
            node.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    @Order(1)
    void duringAnOutageTheServerStaysUpRefusesWritesWith503AndTellsSocketsTheDataIsStale() {
        api.create(watched, "changed by SQL while TaskPulse cannot reach the database");
        api.awaitPublished(watched);
        socket = SocketClient.connect(api.base(), "");
        heldBeforeOutage = socket.next().getJsonNumber("revision").longValue();
        browser = new Browser();
        browser.open(api.base().toString());
        browser.await("page live", d -> "live".equals(browser.body("connection")));

        int attemptsBefore = proxy.attempts();
        Instant cut = Instant.now();
        proxy.cut();

        JsonObject stale = socket.nextMatching(m -> "stale".equals(m.getString("type")));
        assertEquals(heldBeforeOutage, stale.getJsonNumber("revision").longValue(), stale.toString());
        assertEquals("database unavailable", stale.getString("reason"));
        // Only the stale message says why: silence alone makes the page say "stale", not "database unavailable".
        browser.await("page says database unavailable", d -> "unavailable".equals(browser.body("database")));
        assertTrue(browser.find("#data-age").getText().contains("database unavailable"), browser.find("#data-age").getText());
        browser.screenshot("database-outage");

        HttpResponse<String> health = api.await("health to say DOWN", () -> api.send("GET", "health", null, null),
                r -> r.statusCode() == 503);
        assertTrue(Api.object(health.body()).getString("reason").startsWith("no successful poll"), health.body());
        assertTrue(health.headers().firstValue("Retry-After").isPresent());

        String refused = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        Instant sent = Instant.now();
        HttpResponse<String> create = api.send("POST", "api/tasks", "application/json",
                Json.createObjectBuilder().add("name", refused).build().toString());
        Duration took = Duration.between(sent, Instant.now());
        assertEquals(503, create.statusCode(), create.body());
        assertTrue(took.compareTo(AT_ONCE) < 0, "refused after " + took);
        assertTrue(Long.parseLong(create.headers().firstValue("Retry-After").orElse("0")) > 0, create.headers().toString());
        assertEquals("application/problem+json", create.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(Api.object(create.body()).getString("detail").contains("database is unavailable"), create.body());
        assertFalse(ExternalWriter.taskExists(refused), "a refused create left no row");

        HttpResponse<String> poll = api.feed("since=" + heldBeforeOutage);
        assertEquals(200, poll.statusCode(), "a current polling client is told too, not answered 304");
        assertEquals("stale", Api.object(poll.body()).getString("type"), poll.body());
        HttpResponse<String> longPoll = api.feed("since=" + heldBeforeOutage + "&wait=2");
        assertEquals(200, longPoll.statusCode(), "a long-poll is answered stale too, not 304");
        assertEquals("stale", Api.object(longPoll.body()).getString("type"), longPoll.body());

        // Another program writes while TaskPulse cannot: it must reach the socket after the outage.
        ExternalWriter.report(api, watched, "FAILED", "written during the outage", 0);

        // Stale messages keep coming while the poller backs off (every tick, without a query): let 30 intervals pass.
        while (Duration.between(cut, Instant.now()).compareTo(POLL_INTERVAL.multipliedBy(OUTAGE_INTERVALS)) < 0) {
            socket.nextMatching(m -> "stale".equals(m.getString("type")));
        }
        long intervals = Duration.between(cut, Instant.now()).toMillis() / POLL_INTERVAL.toMillis();
        int attempts = proxy.attempts() - attemptsBefore;
        // Without backoff: at least one connection attempt per interval. With it: the polls above and the one refused request.
        System.out.printf("outage: %d connection attempts in %d poll intervals%n", attempts, intervals);
        assertTrue(attempts * 2 <= intervals, attempts + " connection attempts in " + intervals + " poll intervals");
        assertTrue(socket.isOpen(), "the socket stays open through the outage");
    }

    @Test
    @Order(2)
    void afterTheOutageTheSocketGetsWhatWasMissedAsChangesFromItsRevision() {
        proxy.restore();

        List<JsonObject> received = new ArrayList<>();
        JsonObject missed = socket.nextMatching(m -> {
            received.add(m);
            return TaskBoardIT.hasTask(m, watched, "FAILED");
        });

        assertEquals("changes", missed.getString("type"), "resumed, not reset: " + received);
        assertEquals(heldBeforeOutage, missed.getJsonNumber("from").longValue(), missed.toString());
        assertTrue(received.stream().noneMatch(m -> "snapshot".equals(m.getString("type"))), received.toString());
        assertTrue(socket.isOpen());
        HttpResponse<String> health = api.await("health to say UP", () -> api.send("GET", "health", null, null),
                r -> r.statusCode() == 200);
        assertEquals("UP", Api.object(health.body()).getString("status"));
        browser.await("page fresh again", d -> "available".equals(browser.body("database"))
                && "false".equals(browser.body("stale")));
        assertEquals("live", browser.body("connection"), "the page kept its WebSocket");
    }

    @Test
    @Order(3)
    void afterTheOutageManyConcurrentWritesAllSucceed() {
        concurrentCreatesAllSucceed("after-");
    }

    @Test
    @Order(4)
    void afterTheDatabaseEndsEverySessionAsARestartDoesConcurrentWritesStillAllSucceed() {
        // The pool holds connections from the test before; they are all dead now, and none may reach a request.
        assertTrue(ExternalWriter.terminateOtherSessions() > 0, "the server had sessions open");

        concurrentCreatesAllSucceed("restart-");
        assertTrue(socket.isOpen());
    }

    private static void concurrentCreatesAllSucceed(String label) {
        String prefix = label + UUID.randomUUID().toString().substring(0, 8) + "-";
        ExecutorService writers = Executors.newFixedThreadPool(CONCURRENT_WRITES);
        try {
            List<CompletableFuture<Integer>> writes = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_WRITES; i++) {
                String name = prefix + i;
                writes.add(CompletableFuture.supplyAsync(() -> api.send("POST", "api/tasks", "application/json",
                        Json.createObjectBuilder().add("name", name).build().toString()).statusCode(), writers));
            }
            List<Integer> statuses = writes.stream().map(CompletableFuture::join).toList();
            assertEquals(List.of(201), statuses.stream().distinct().toList(), statuses.toString());
        } finally {
            writers.shutdownNow();
        }
        for (int i = 0; i < CONCURRENT_WRITES; i++) {
            assertTrue(ExternalWriter.taskExists(prefix + i), prefix + i);
        }
    }
}
