package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonValue;
import java.net.MalformedURLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * What clients see when the server hangs, shuts down or dies, with the page's own connection code
 * (js/control/feed-connection.js): the page itself, and {@value #CLIENTS} more FeedConnections in it, each with its
 * own WebSocket, keeping just a revision. One Payara Micro process on a fixed port, restarted in place.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerFaultsIT {

    private static final int CLIENTS = 40;
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** feed-connection.js: silent for 3 intervals + 5 s means dead. */
    private static final Duration SILENCE = INTERVAL.multipliedBy(3).plusSeconds(5);
    private static final Duration RESTART_PATIENCE = Duration.ofSeconds(120);

    /** Starts CLIENTS FeedConnections; each records its states with their times in window.clients. */
    private static final String START_CLIENTS = """
            const done = arguments[arguments.length - 1];
            import('./js/control/feed-connection.js').then(({ FeedConnection }) => {
              window.clients = [];
              for (let i = 0; i < %d; i++) {
                const c = { revision: null, interval: 1000, states: [] };
                c.feed = new FeedConnection({
                  revision: () => c.revision,
                  interval: () => c.interval,
                  onMessage: (m) => {
                    if (m.type === 'snapshot') { c.revision = m.revision; c.interval = m.interval; return 'applied'; }
                    if (m.type === 'changes') {
                      if (m.from !== c.revision) return 'gap';
                      c.revision = m.revision;
                      return 'applied';
                    }
                    return 'ignored';
                  },
                  onState: (s) => c.states.push([s, Date.now()]),
                });
                c.feed.start();
                window.clients.push(c);
              }
              done(true);
            }, (e) => done(String(e)));
            """.formatted(CLIENTS);

    private static final String[] SETTINGS = {
        "-Dderby.system.home=" + System.getProperty("it.tmp", "target") + "/derby-faults", "-Dtaskpulse.db.url=",
        "-Dtaskpulse.poll.interval=PT" + INTERVAL.toSeconds() + "S"};

    private static int port;
    private static MicroNode node;
    private static Browser browser;

    @BeforeAll
    static void startServerAndClients() {
        port = MicroNode.freePort();
        node = MicroNode.start(port, SETTINGS).awaitReady();
        browser = new Browser();
        browser.open(node.base().toString());
        assertEquals(true, browser.driver().executeAsyncScript(START_CLIENTS));
        awaitAllLive(Browser.PATIENCE);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void clientsNoticeAHungServerWithinThreeIntervalsAndComeBackWhenItAnswers() {
        long frozenAt = now();
        node.freeze();
        try {
            browser.await("every client reconnecting", SILENCE.plusSeconds(10),
                    d -> count("c.feed.state === 'reconnecting'") == CLIENTS);
            long noticed = now() - frozenAt;
            // Promise: a silent server is noticed within 3 poll intervals + 5 s (plus the test's own latency).
            assertTrue(noticed <= SILENCE.plusSeconds(3).toMillis(), "noticed after " + noticed + " ms");
        } finally {
            node.thaw();
        }
        awaitAllLive(Browser.PATIENCE);
    }

    @Test
    @Order(2)
    void gracefulShutdownClosesSocketsWith1001AndClientsComeBack() throws MalformedURLException {
        try (SocketClient socket = SocketClient.connect(node.base(), "")) {
            socket.next();
            node.stop();
            assertEquals(1001, socket.awaitClose());
        }
        browser.await("every client reconnecting", d -> count("c.feed.state === 'reconnecting'") == CLIENTS);
        node = MicroNode.start(port, SETTINGS).awaitReady();
        awaitAllLive(RESTART_PATIENCE);
    }

    @Test
    @Order(3)
    void afterAKillClientsReconnectSpreadOutAndEndWithTheDatabaseState() throws MalformedURLException {
        String name = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        Api api = new Api(node.base().toURL(), "");
        api.create(name, "changed while the server was down");
        api.awaitPublished(name);
        node.kill();
        long killedAt = now();
        browser.await("every client reconnecting", d -> count("c.feed.state === 'reconnecting'") == CLIENTS
                && "reconnecting".equals(browser.body("connection")));
        browser.screenshot("page-reconnecting");

        node = MicroNode.start(port, SETTINGS).awaitReady();
        api = new Api(node.base().toURL(), "");
        api.report(name, "FAILED", "reported after the restart");
        long revision = api.awaitPublished(name);
        awaitAllLive(RESTART_PATIENCE);
        browser.await("every client at the database's revision", RESTART_PATIENCE,
                d -> count("c.revision >= " + revision) == CLIENTS);

        // Each client's return ("live" after the kill) is spread by its full-jitter backoff, not all at once.
        List<Long> back = new ArrayList<>();
        for (Object at : (List<?>) browser.driver().executeScript(
                "return window.clients.map(c => c.states.filter(s => s[0] === 'live' && s[1] > arguments[0]).map(s => s[1])[0]);",
                killedAt)) {
            back.add(((Number) at).longValue());
        }
        Collections.sort(back);
        // The page itself: reconnected, and its board holds exactly the database's tasks and statuses.
        Map<String, String> database = api.tasks().stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(t -> t.getJsonNumber("id").toString(), t -> t.getString("status")));
        browser.await("page live and showing the database's state", RESTART_PATIENCE,
                d -> "live".equals(browser.body("connection")) && database.equals(pageStatuses()));
        browser.screenshot("page-after-restart");
        long spread = back.get(back.size() - 1) - back.get(0);
        System.out.printf("%d clients back between %d and %d ms after the kill (spread %d ms)%n",
                back.size(), back.get(0) - killedAt, back.get(back.size() - 1) - killedAt, spread);
        assertTrue(spread >= 1000, "clients came back within " + spread + " ms of each other: no jitter?");
    }

    private static Map<String, String> pageStatuses() {
        return browser.driver().findElements(By.cssSelector("tr[data-task-id]")).stream()
                .collect(Collectors.toMap(r -> r.getDomAttribute("data-task-id"), (WebElement r) -> r.getDomAttribute("data-status"),
                        (a, b) -> a));
    }

    private static void awaitAllLive(Duration patience) {
        browser.await("every client live", patience, d -> count("c.feed.state === 'live'") == CLIENTS);
    }

    private static long count(String condition) {
        return (Long) browser.driver().executeScript("return window.clients.filter(c => " + condition + ").length;");
    }

    /** The browser's clock and ours are the same machine's. */
    private static long now() {
        return System.currentTimeMillis();
    }
}
