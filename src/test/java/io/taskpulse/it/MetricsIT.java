package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** GET /metrics from Prometheus's side: a scrape that parses strictly, and counts that follow what clients do. */
class MetricsIT extends DeployedIT {

    private static final String SESSIONS = "taskpulse_sessions_open";
    private static final String MESSAGES = "taskpulse_messages_sent_total";
    private static final String BYTES = "taskpulse_bytes_sent_total";
    private static final String REVISION = "taskpulse_revision";
    private static final String POLLS = "taskpulse_poll_duration_seconds_count";
    private static final String LAGS = "taskpulse_change_lag_seconds_count";
    private static final String LAG_SUM = "taskpulse_change_lag_seconds_sum";
    private static final String REQUESTS = "taskpulse_http_requests_total";
    private static final String RESYNCS = "taskpulse_feed_resyncs_total";

    @Test
    void scrapeIsPrometheusTextWithEveryPromisedFamily() {
        api.tasks(); // at least one API request, so that the by-code counter has a sample
        HttpResponse<String> response = api.send("GET", "metrics", null, null);

        assertEquals(200, response.statusCode());
        String contentType = response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase();
        assertTrue(contentType.startsWith("text/plain;") && contentType.contains("version=0.0.4"), contentType);
        Scrape scrape = Scrape.parse(response.body());
        Scrape.TASKPULSE_FAMILIES.forEach((family, type) -> assertEquals(type, scrape.type(family), family));
        assertTrue(scrape.value(REQUESTS, "code", "200") >= 1);
        assertTrue(scrape.value(POLLS) >= 1, "the start-up poll is counted");
    }

    @Test
    void otherMethodsGet405WithAProblem() {
        HttpResponse<String> response = api.send("POST", "metrics", null, null);

        assertEquals(405, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }

    @Test
    void heldLongPollsAreOpenSessionsUntilAChangeAnswersThem() {
        long current = api.revision();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(api.feedAsync("since=" + current + "&wait=60"));
        }
        api.await("three held long-polls", this::scrape, s -> s.value(SESSIONS, "transport", "longpoll") >= 3);
        Scrape before = scrape();

        api.create(unique("wakes-polls"), "answers the held long-polls");
        long answered = 0;
        for (CompletableFuture<HttpResponse<String>> poll : held) {
            HttpResponse<String> response = poll.orTimeout(30, TimeUnit.SECONDS).join();
            assertEquals(200, response.statusCode(), response.body());
            answered += response.body().getBytes(StandardCharsets.UTF_8).length;
        }
        long bytes = answered;

        Scrape after = api.await("long-polls closed and counted", this::scrape,
                s -> s.value(SESSIONS, "transport", "longpoll") == 0);
        assertTrue(after.value(MESSAGES, "transport", "longpoll") >= before.value(MESSAGES, "transport", "longpoll") + 3);
        assertTrue(after.value(BYTES, "transport", "longpoll") >= before.value(BYTES, "transport", "longpoll") + bytes);
        assertEquals(0, after.value(SESSIONS, "transport", "websocket"));
    }

    @Test
    void openWebSocketIsASessionAndItsMessagesAreCountedUntilItCloses() {
        String name = unique("socket-counted");
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            Scrape open = api.await("one open WebSocket", this::scrape, s -> s.value(SESSIONS, "transport", "websocket") == 1);

            api.create(name, "goes to the socket");
            long revision = api.awaitPublished(name);
            socket.nextMatching(m -> m.getJsonNumber("revision").longValue() >= revision);

            api.await("the change counted as sent", this::scrape, s -> s.value(MESSAGES, "transport", "websocket")
                    > open.value(MESSAGES, "transport", "websocket")
                    && s.value(BYTES, "transport", "websocket") > open.value(BYTES, "transport", "websocket"));
        }
        api.await("the WebSocket gone", this::scrape, s -> s.value(SESSIONS, "transport", "websocket") == 0);
    }

    @Test
    void createdAndReportedTaskRaiseTheRevisionAndArePolledAndTimed() {
        Scrape before = scrape();
        String name = unique("measured");

        api.create(name, "moves the revision");
        api.awaitPublished(name);
        api.report(name, "FAILED", "exit 1");
        long reported = api.awaitPublished(name);

        Scrape after = api.await("revision " + reported + " in the metrics", this::scrape, s -> s.value(REVISION) >= reported);
        assertTrue(after.value(REVISION) > before.value(REVISION));
        assertTrue(after.value(POLLS) >= before.value(POLLS) + 2, "a poll for each write");
        assertTrue(after.value(LAGS) >= before.value(LAGS) + 2, "a lag for each change handed over");
        assertTrue(after.value(LAG_SUM) >= before.value(LAG_SUM));
    }

    @Test
    void apiAnswersAreCountedByStatusCode() {
        Scrape before = scrape();
        double notFound = before.valueOrZero(REQUESTS, "code", "404");
        double badRequest = before.valueOrZero(REQUESTS, "code", "400");

        assertEquals(404, api.send("GET", "api/tasks/987654321", null, null).statusCode());
        assertEquals(404, api.send("GET", "api/no-such-resource", null, null).statusCode());
        assertEquals(400, api.send("POST", "api/tasks", "application/json", "{\"name\":").statusCode());

        Scrape after = api.await("404s and 400 counted", this::scrape,
                s -> s.valueOrZero(REQUESTS, "code", "404") >= notFound + 2 && s.valueOrZero(REQUESTS, "code", "400") >= badRequest + 1);
        assertEquals(notFound + 2, after.value(REQUESTS, "code", "404"));
        assertEquals(badRequest + 1, after.value(REQUESTS, "code", "400"));
    }

    /**
     * The feed heals itself: pushed out of step with the database (as a bug would, by a batch the database never
     * had), it reloads within one poll, every client gets a reset snapshot equal to the database, the resync is
     * counted, and the feed goes on delivering.
     */
    @Test
    void feedOutOfStepWithTheDatabaseReloadsAndResetsEveryClient() {
        String name = unique("after-resync");
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            long start = socket.next().getJsonNumber("revision").longValue();
            api.create(unique("before-resync"), "moves the feed past the polling client's revision");
            api.await("a change after " + start, api::revision, r -> r > start);
            double resyncs = scrape().valueOrZero(RESYNCS);

            long bogus = api.await("the feed pushed ahead of the database",
                    () -> api.send("POST", "it/feed-fault?ahead=1000", null, null), r -> r.statusCode() == 200)
                    .body().transform(Long::parseLong);

            socket.nextMatching(m -> m.getJsonNumber("revision").longValue() == bogus);
            JsonObject reset = socket.nextMatching(m -> "snapshot".equals(m.getString("type")));
            assertTrue(reset.getBoolean("reset"), reset.toString());
            assertTrue(reset.getJsonNumber("revision").longValue() < bogus, "back to the database's revision");
            assertEquals(names(api.tasks()), names(reset.getJsonArray("tasks")));
            JsonObject polled = Api.object(api.feed("since=" + start).body());
            assertEquals("snapshot", polled.getString("type"), "a polling client from before the reload is reset too");
            assertTrue(polled.getBoolean("reset"));
            assertTrue(scrape().value(RESYNCS) >= resyncs + 1);
            assertEquals(200, api.send("GET", "health", null, null).statusCode());

            api.create(name, "delivered after the reload");
            socket.nextMatching(m -> "changes".equals(m.getString("type"))
                    && names(m.getJsonArray("tasks")).contains(name));
        }
    }

    private static java.util.Set<String> names(jakarta.json.JsonArray tasks) {
        return tasks.stream().map(t -> t.asJsonObject().getString("name")).collect(java.util.stream.Collectors.toSet());
    }

    private Scrape scrape() {
        HttpResponse<String> response = api.send("GET", "metrics", null, null);
        assertEquals(200, response.statusCode(), response.body());
        return Scrape.parse(response.body());
    }

}
