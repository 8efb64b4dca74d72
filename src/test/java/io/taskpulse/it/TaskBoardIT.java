package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The live board from a client's side: API, WebSocket push, resume, polling fallback and bad input. */
class TaskBoardIT extends DeployedIT {

    @Test
    void snapshotOnConnectHoldsEveryTaskAndTheCurrentRevision() {
        String name = unique("snapshot");
        api.create(name, "listed on connect");
        long published = api.awaitPublished(name);

        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            JsonObject snapshot = socket.next();

            assertEquals("snapshot", snapshot.getString("type"));
            assertFalse(snapshot.getBoolean("reset"));
            assertTrue(snapshot.getJsonNumber("revision").longValue() >= published);
            assertEquals(names(api.tasks()), names(snapshot.getJsonArray("tasks")));
            JsonObject task = byName(snapshot.getJsonArray("tasks"), name);
            assertEquals("NOT_RUN", task.getString("status"));
            assertEquals("listed on connect", task.getString("description"));
        }
    }

    @Test
    void statusReportedThroughTheApiReachesTwoOpenSockets() {
        String name = unique("pushed");
        api.create(name, "pushed to every socket");
        api.awaitPublished(name);
        try (SocketClient first = SocketClient.connect(api.base(), "");
             SocketClient second = SocketClient.connect(api.base(), "")) {
            long firstRevision = first.next().getJsonNumber("revision").longValue();
            long secondRevision = second.next().getJsonNumber("revision").longValue();

            api.report(name, "FAILED", "exit code 3");

            for (SocketClient socket : List.of(first, second)) {
                JsonObject change = socket.nextMatching(m -> hasTask(m, name, "FAILED"));
                assertEquals("changes", change.getString("type"));
                JsonObject task = byName(change.getJsonArray("tasks"), name);
                assertEquals("FAILED", task.getString("status"));
                assertEquals("exit code 3", task.getString("message"));
                assertEquals(change.getJsonNumber("revision").longValue(), task.getJsonNumber("revision").longValue());
            }
            assertTrue(firstRevision > 0 && secondRevision > 0);
        }
    }

    @Test
    void writesWithoutTheConfiguredTokenGet401AndChangeNothing() {
        Api anonymous = new Api(base, "");
        Api impostor = new Api(base, "not-the-token");
        String body = "{\"name\":\"" + unique("intruder") + "\"}";
        long revision = api.revision();

        HttpResponse<String> none = anonymous.send("POST", "api/tasks", "application/json", body);
        HttpResponse<String> wrong = impostor.send("POST", "api/tasks", "application/json", body);

        assertEquals(401, none.statusCode(), none.body());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, wrong.statusCode(), wrong.body());
        assertEquals(200, anonymous.send("GET", "api/tasks", null, null).statusCode(), "reading needs no token");
        assertEquals(revision, api.revision());
    }

    @Test
    void webSocketFromAPageOfAnotherOriginIsRefusedWith403() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create(api.base().toString().replaceFirst("^http", "ws") + "ws/tasks");

        java.util.concurrent.CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.CompletionException.class,
                () -> client.newWebSocketBuilder().header("Origin", "http://evil.example")
                        .buildAsync(uri, new java.net.http.WebSocket.Listener() { }).join());
        assertEquals(403, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());

        String ownOrigin = "http://" + api.base().getHost() + ":" + api.base().getPort();
        java.net.http.WebSocket own = client.newWebSocketBuilder().header("Origin", ownOrigin)
                .buildAsync(uri, new java.net.http.WebSocket.Listener() { }).join();
        own.abort();
    }

    @Test
    void healthIsUpWhileThePollerReadsTheDatabase() {
        HttpResponse<String> health = api.send("GET", "health", null, null);

        assertEquals(200, health.statusCode(), health.body());
        JsonObject status = Api.object(health.body());
        assertEquals("UP", status.getString("status"));
        assertTrue(java.time.Instant.parse(status.getString("lastPoll")).isAfter(java.time.Instant.now().minusSeconds(30)));
    }

    @Test
    void pageIsServedWithStrictSecurityHeaders() {
        HttpResponse<String> page = api.send("GET", "", null, null);

        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("TaskPulse"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
    }

    @Test
    void historyListsEveryStatusNewestFirstIncludingSqlWrites() {
        String name = unique("history");
        long id = api.create(name, "has a past").getJsonNumber("id").longValue();
        api.report(name, "FAILED", "exit 1");
        ExternalWriter.report(api, name, "SUCCEEDED", "fixed by hand", 0);
        api.report(name, "SUCCEEDED", "green again");

        HttpResponse<String> response = api.send("GET", "api/tasks/" + id + "/history?limit=3", null, null);

        assertEquals(200, response.statusCode(), response.body());
        List<String> entries = ((JsonArray) Api.structure(response.body())).stream().map(JsonValue::asJsonObject)
                .map(e -> e.getString("status") + ":" + e.getString("message", "")).toList();
        assertEquals(List.of("SUCCEEDED:green again", "SUCCEEDED:fixed by hand", "FAILED:exit 1"), entries);
        assertEquals(4, ((JsonArray) Api.structure(api.send("GET", "api/tasks/" + id + "/history", null, null).body())).size());
    }

    @Test
    void reportingTheSameStatusAgainIsPushedAgain() {
        String name = unique("repeated");
        api.create(name, "reports the same result twice");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();

            api.report(name, "SUCCEEDED", "ok");
            JsonObject first = byName(socket.nextMatching(m -> hasTask(m, name, "SUCCEEDED")).getJsonArray("tasks"), name);
            api.report(name, "SUCCEEDED", "ok");
            JsonObject second = byName(socket.nextMatching(m -> hasTask(m, name, "SUCCEEDED")).getJsonArray("tasks"), name);

            assertTrue(second.getJsonNumber("revision").longValue() > first.getJsonNumber("revision").longValue());
            assertEquals("SUCCEEDED", second.getString("status"));
        }
    }

    @Test
    void resumeFromARevisionReturnsExactlyTheMissedChanges() {
        String reported = unique("reported");
        String deleted = unique("deleted");
        String untouched = unique("untouched");
        api.create(reported, "changes while away");
        api.create(deleted, "deleted while away");
        api.create(untouched, "stays as it was");
        api.awaitPublished(untouched);
        api.awaitPublished(deleted);
        long seen = api.awaitPublished(reported);
        long away = Math.max(seen, api.revision());

        api.report(reported, "SUCCEEDED", "all green");
        long deletedId = api.task(deleted).getJsonNumber("id").longValue();
        api.delete(deleted);
        long now = api.await("the deletion published", api::revision, r -> r >= away + 2);

        JsonObject viaUrl;
        try (SocketClient socket = SocketClient.connect(api.base(), "since=" + away)) {
            viaUrl = socket.next();
        }
        JsonObject viaMessage;
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            socket.send("{\"type\":\"resume\",\"since\":" + away + "}");
            viaMessage = socket.next();
        }
        JsonObject viaPolling = Api.object(api.feed("since=" + away).body());

        for (JsonObject missed : List.of(viaUrl, viaMessage, viaPolling)) {
            assertEquals("changes", missed.getString("type"), missed.toString());
            assertEquals(away, missed.getJsonNumber("from").longValue());
            assertEquals(now, missed.getJsonNumber("revision").longValue());
            assertEquals(Set.of(reported), names(missed.getJsonArray("tasks")));
            assertEquals("SUCCEEDED", byName(missed.getJsonArray("tasks"), reported).getString("status"));
            assertEquals(List.of(deletedId), ids(missed.getJsonArray("deleted")));
        }
    }

    @Test
    void revisionFromTheFutureGetsAResetSnapshot() {
        long future = api.revision() + 1_000_000;

        try (SocketClient socket = SocketClient.connect(api.base(), "since=" + future)) {
            JsonObject reset = socket.next();
            assertEquals("snapshot", reset.getString("type"));
            assertTrue(reset.getBoolean("reset"));
            assertEquals(names(api.tasks()), names(reset.getJsonArray("tasks")));
        }
        JsonObject polled = Api.object(api.feed("since=" + future).body());
        assertEquals("snapshot", polled.getString("type"));
        assertTrue(polled.getBoolean("reset"));
    }

    @Test
    void revisionOlderThanAPurgedDeletionGetsAResetSnapshot() {
        String name = unique("purged");
        api.create(name, "deleted, then its tombstone expires");
        long before = api.awaitPublished(name);
        api.delete(name);

        // Tombstones are kept 5 s in the test deployment (arquillian.xml); the feed then can't tell what a client
        // at "before" missed.
        JsonObject reset = Api.object(api.await("the tombstone purged", () -> api.feed("since=" + before),
                r -> r.statusCode() == 200 && Api.object(r.body()).getString("type").equals("snapshot")).body());

        assertTrue(reset.getBoolean("reset"));
        assertFalse(names(reset.getJsonArray("tasks")).contains(name));
        try (SocketClient socket = SocketClient.connect(api.base(), "since=" + before)) {
            JsonObject viaSocket = socket.next();
            assertEquals("snapshot", viaSocket.getString("type"));
            assertTrue(viaSocket.getBoolean("reset"));
        }
    }

    @Test
    void pollingGivesTheChangesThenNotModified() {
        String name = unique("polled");
        api.create(name, "seen by polling");
        api.awaitPublished(name);
        HttpResponse<String> snapshot = api.feed("");
        long revision = Api.object(snapshot.body()).getJsonNumber("revision").longValue();
        assertEquals("\"" + revision + "\"", snapshot.headers().firstValue("ETag").orElseThrow());

        api.report(name, "FAILED", "disk full");
        HttpResponse<String> changes = api.feed("since=" + revision + "&wait=30");

        assertEquals(200, changes.statusCode());
        JsonObject message = Api.object(changes.body());
        assertEquals("changes", message.getString("type"));
        assertEquals(revision, message.getJsonNumber("from").longValue());
        assertEquals("FAILED", byName(message.getJsonArray("tasks"), name).getString("status"));
        long current = message.getJsonNumber("revision").longValue();
        assertEquals("\"" + current + "\"", changes.headers().firstValue("ETag").orElseThrow());

        HttpResponse<String> unchanged = api.feed("since=" + current);
        assertEquals(304, unchanged.statusCode());
        assertEquals("\"" + current + "\"", unchanged.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> byEtag = api.send(api.request("GET", "api/feed", null, null)
                .header("If-None-Match", "\"" + current + "\""));
        assertEquals(304, byEtag.statusCode());
    }

    @Test
    void ifNoneMatchNamingTheCurrentRevisionIsNotModifiedWhateverSinceSays() {
        String name = unique("conditional");
        api.create(name, "polled with an ETag");
        long before = api.awaitPublished(name);
        api.report(name, "FAILED", "after the ETag");
        api.awaitPublished(name);
        long current = api.revision();
        String since = "since=" + before;

        for (String current304 : List.of("\"" + current + "\"", "W/\"" + current + "\"", "\"" + before + "\", \"" + current + "\"", "*")) {
            HttpResponse<String> notModified = conditional(since, current304);
            assertEquals(304, notModified.statusCode(), current304);
            assertEquals("\"" + current + "\"", notModified.headers().firstValue("ETag").orElseThrow(), current304);
        }
        for (String other : List.of("\"" + before + "\"", "\"" + (current + 1000) + "\"", "\"not-a-revision\"", "not an etag", "\"" + current)) {
            HttpResponse<String> changes = conditional(since, other);
            assertEquals(200, changes.statusCode(), other);
            JsonObject message = Api.object(changes.body());
            assertEquals("changes", message.getString("type"), other);
            assertEquals(before, message.getJsonNumber("from").longValue(), other);
            assertEquals("FAILED", byName(message.getJsonArray("tasks"), name).getString("status"), other);
        }

        // with wait, a current client is held until the next change, then gets the changes after its ETag
        var held = api.sendAsync(api.request("GET", "api/feed?" + since + "&wait=60", null, null)
                .header("If-None-Match", "\"" + current + "\""));
        api.report(name, "SUCCEEDED", "wakes the held poll");
        HttpResponse<String> woken = held.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
        assertEquals(200, woken.statusCode());
        JsonObject message = Api.object(woken.body());
        assertEquals(current, message.getJsonNumber("from").longValue());
        assertEquals("SUCCEEDED", byName(message.getJsonArray("tasks"), name).getString("status"));
    }

    private HttpResponse<String> conditional(String query, String ifNoneMatch) {
        return api.send(api.request("GET", "api/feed?" + query, null, null).header("If-None-Match", ifNoneMatch));
    }

    @Test
    void longPollAnswersWhenAChangeArrivesAndTimesOutWith304() {
        String name = unique("long-polled");
        api.create(name, "wakes a long poll");
        long revision = api.awaitPublished(name);
        long current = api.revision();

        assertEquals(304, api.feed("since=" + current + "&wait=1").statusCode());

        var held = api.feedAsync("since=" + current + "&wait=60");
        api.report(name, "SUCCEEDED", "done");
        HttpResponse<String> answer = held.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();

        assertEquals(200, answer.statusCode());
        JsonObject message = Api.object(answer.body());
        assertEquals(current, message.getJsonNumber("from").longValue());
        assertEquals("SUCCEEDED", byName(message.getJsonArray("tasks"), name).getString("status"));
        assertTrue(revision <= current);
    }

    @Test
    void changeWrittenWithPlainSqlReachesOpenSocketsWithinAPollInterval() {
        String name = unique("sql");
        api.create(name, "updated by another program");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();

            java.time.Instant written = java.time.Instant.now();
            ExternalWriter.report(api, name, "FAILED", "written by psql", 0);

            JsonObject change = socket.nextMatching(m -> hasTask(m, name, "FAILED"));
            java.time.Duration took = java.time.Duration.between(written, java.time.Instant.now());
            // Nothing wakes the poller for a foreign write: its next tick (1 s here) finds it; a margin for a busy box.
            assertTrue(took.compareTo(java.time.Duration.ofSeconds(5)) < 0, "took " + took);
            JsonObject task = byName(change.getJsonArray("tasks"), name);
            assertEquals("FAILED", task.getString("status"));
            assertEquals("written by psql", task.getString("message"));
        }
    }

    @Test
    void socketWithABadRevisionOrMessageIsClosedWithTheReason() {
        try (SocketClient badSince = SocketClient.connect(api.base(), "since=yesterday")) {
            assertEquals(1008, badSince.awaitClose());
            assertTrue(badSince.closeReason().contains("since"), badSince.closeReason());
        }
        for (String message : List.of("hello", "{\"type\":\"subscribe\"}", "{\"type\":\"resume\",\"since\":-4}", "[1]")) {
            try (SocketClient socket = SocketClient.connect(api.base(), "")) {
                socket.next();
                socket.send(message);
                assertEquals(1008, socket.awaitClose(), message);
                assertFalse(socket.closeReason().isBlank());
            }
        }
    }

    @Test
    void badInputGetsAClear4xxAndChangesNothing() {
        String existing = unique("existing");
        api.create(existing, "already there");
        api.awaitPublished(existing);
        String json = "application/json";
        String big = "{\"name\":\"" + "x".repeat(70_000) + "\"}";

        assertRejected(400, "not valid JSON", "POST", "api/tasks", json, "{\"name\":");
        assertRejected(400, "empty", "POST", "api/tasks", json, "");
        assertRejected(400, "JSON object", "POST", "api/tasks", json, "[\"a\"]");
        assertRejected(415, "application/json", "POST", "api/tasks", "text/plain", "{\"name\":\"plain\"}");
        assertRejected(415, "application/json", "POST", "api/tasks", null, "{\"name\":\"none\"}");
        assertRejected(400, "name is required", "POST", "api/tasks", json, "{\"description\":\"no name\"}");
        assertRejected(400, "name is required", "POST", "api/tasks", json, "{\"name\":\"   \"}");
        assertRejected(400, "name must be a string", "POST", "api/tasks", json, "{\"name\":42}");
        assertRejected(400, "longer than 200", "POST", "api/tasks", json, "{\"name\":\"" + "n".repeat(201) + "\"}");
        assertRejected(400, "unknown field", "POST", "api/tasks", json, "{\"name\":\"x\",\"status\":\"FAILED\"}");
        assertRejected(409, "already exists", "POST", "api/tasks", json, "{\"name\":\"" + existing + "\"}");
        assertRejected(413, "larger than", "POST", "api/tasks", json, big);
        String status = "api/tasks/by-name/" + Api.encode(existing) + "/status";
        assertRejected(400, "unknown status 'DONE'", "PUT", status, json, "{\"status\":\"DONE\"}");
        assertRejected(400, "status or exitCode is required", "PUT", status, json, "{\"message\":\"no status\"}");
        assertRejected(400, "not valid JSON", "PUT", status, json, "status=FAILED");
        assertRejected(415, "application/json", "PUT", status, "application/x-www-form-urlencoded", "status=FAILED");
        assertRejected(404, "no task with id", "PUT", "api/tasks/987654321/status", json, "{\"status\":\"FAILED\"}");
        assertRejected(404, "no task named", "PUT", "api/tasks/by-name/nobody-" + UUID.randomUUID() + "/status", json,
                "{\"status\":\"FAILED\"}");
        assertRejected(404, "no task with id", "GET", "api/tasks/987654321", null, null);
        assertRejected(404, "no task with id", "DELETE", "api/tasks/987654321", null, null);
        assertRejected(404, "no task named", "DELETE", "api/tasks/by-name/nobody-" + UUID.randomUUID(), null, null);
        assertRejected(404, "no task named", "GET", "api/tasks/by-name?name=nobody-" + UUID.randomUUID(), null, null);
        assertRejected(400, "name is required", "PUT", "api/tasks/by-name", json, "{\"status\":\"FAILED\"}");
        assertRejected(400, "unknown status", "GET", "api/tasks?status=sideways", null, null);
        assertRejected(404, "no task with id", "GET", "api/tasks/987654321/history", null, null);
        assertRejected(400, "limit must be", "GET", "api/tasks/" + api.task(existing).getJsonNumber("id") + "/history?limit=0", null, null);
        assertRejected(400, "since must be", "GET", "api/feed?since=-1", null, null);
        assertRejected(400, "wait must be", "GET", "api/feed?since=1&wait=3600", null, null);

        assertEquals("NOT_RUN", api.task(existing).getString("status"));
    }

    private void assertRejected(int status, String detail, String method, String path, String contentType, String body) {
        JsonArray tasksBefore = api.tasks();
        long revisionBefore = api.revision();

        HttpResponse<String> response = api.send(method, path, contentType, body);

        String what = method + " " + path + " -> " + response.body();
        assertEquals(status, response.statusCode(), what);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
        JsonObject problem = Api.object(response.body());
        assertEquals(status, problem.getInt("status"), what);
        assertTrue(problem.getString("detail").contains(detail), what);
        assertFalse(response.body().contains("Exception") || response.body().contains("\tat "), what);
        assertEquals(tasksBefore, api.tasks(), "tasks changed by " + what);
        assertEquals(revisionBefore, api.revision(), "feed moved after " + what);
    }


    /** A message that carries the task in the given status (a snapshot may lack a task created a moment ago). */
    static boolean hasTask(JsonObject message, String name, String status) {
        return contains(message, name) && byName(message.getJsonArray("tasks"), name).getString("status").equals(status);
    }

    private static boolean contains(JsonObject message, String name) {
        return message.containsKey("tasks") && names(message.getJsonArray("tasks")).contains(name);
    }

    static Set<String> names(JsonArray tasks) {
        return tasks.stream().map(t -> t.asJsonObject().getString("name")).collect(Collectors.toSet());
    }

    private static List<Long> ids(JsonArray ids) {
        return ids.stream().map(v -> ((JsonNumber) v).longValue()).toList();
    }

    private static JsonObject byName(JsonArray tasks, String name) {
        return tasks.stream().map(JsonValue::asJsonObject).filter(t -> t.getString("name").equals(name))
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + tasks));
    }
}
