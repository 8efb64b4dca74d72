package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's schedules: a task whose expected run does not come in time turns OVERDUE on every board, a report or
 * start clears it, and a run over its maxRuntime fails as timed out. Hours pass in seconds: the server's clock for
 * runs and schedules is the test's {@link SettableClock}.
 */
class ScheduleIT extends DeployedIT {

    private static final String JSON = "application/json";

    @AfterEach
    void realTimeAgain() {
        api.send("POST", "it/clock?reset", null, null);
    }

    @Test
    void aTaskWhoseRunDoesNotComeInTimeTurnsOverdueOnOpenSocketsAndAReportClearsIt() {
        String name = unique("hourly-export");
        JsonObject created = created(api.send("POST", "api/tasks", JSON, Json.createObjectBuilder().add("name", name)
                .add("schedule", "PT1H").add("grace", "PT5M").build().toString()));
        assertEquals("PT1H", created.getString("schedule"));
        assertEquals("PT5M", created.getString("grace"));
        Instant expected = Instant.parse(created.getString("expectedAt"));
        assertFalse(created.getBoolean("overdue"));
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            advance(Duration.ofMinutes(66)); // past the expected hour and its 5 min of grace
            JsonObject overdue = socket.nextMatching(m -> hasState(m, name, "OVERDUE"));
            JsonObject task = Api.taskIn(overdue, name);
            assertTrue(task.getBoolean("overdue"));
            assertEquals(expected, Instant.parse(task.getString("expectedAt")), "the board can say when it was expected");
            assertEquals("OVERDUE", api.task(name).getString("state"));
            assertEquals("NOT_RUN", api.task(name).getString("status"), "the last result is still there");

            api.report(name, "SUCCEEDED", "late, but done");
            JsonObject cleared = socket.nextMatching(m -> hasState(m, name, "SUCCEEDED"));
            assertFalse(Api.taskIn(cleared, name).getBoolean("overdue"));
            assertTrue(Instant.parse(Api.taskIn(cleared, name).getString("expectedAt")).isAfter(expected.plus(Duration.ofMinutes(60))),
                    "the next run is expected an hour after this report");
        }
    }

    @Test
    void aCronScheduleExpectsItsNextTimeInItsZoneAndAStartClearsOverdue() {
        String name = unique("nightly");
        JsonObject created = created(api.send("POST", "api/tasks", JSON, Json.createObjectBuilder().add("name", name)
                .add("schedule", "0 2 * * *").add("timeZone", "Europe/Berlin").add("grace", "PT15M").build().toString()));
        ZonedDateTime expected = Instant.parse(created.getString("expectedAt")).atZone(ZoneId.of("Europe/Berlin"));
        assertEquals(2, expected.getHour());
        assertEquals(0, expected.getMinute());
        assertEquals("Europe/Berlin", created.getString("timeZone"));

        advance(Duration.ofHours(25));
        api.await("overdue", () -> api.task(name), t -> "OVERDUE".equals(t.getString("state")));
        JsonObject started = Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", null, null));
        assertEquals("RUNNING", started.getString("state"));
        assertFalse(started.getBoolean("overdue"));
    }

    @Test
    void aRunOverItsMaxRuntimeFailsAsTimedOut() {
        String name = unique("stuck-job");
        api.create(name, "hangs");
        JsonObject limited = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/schedule", JSON, "{\"maxRuntime\":\"PT10M\"}"));
        assertEquals("PT10M", limited.getString("maxRuntime"));
        assertFalse(limited.containsKey("schedule"));
        String runId = Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", null, null)).getString("runId");
        double before = timeouts();

        advance(Duration.ofMinutes(11));
        JsonObject failed = api.await("timed out", () -> api.task(name), t -> "FAILED".equals(t.getString("state")));
        assertTrue(failed.getString("message").contains("timed out"), failed.toString());
        JsonArray runs = Api.structure(api.send("GET", "api/tasks/by-name/" + name + "/runs", null, null).body()).asJsonArray();
        assertEquals(runId, runs.getJsonObject(0).getString("runId"));
        assertEquals("FAILED", runs.getJsonObject(0).getString("status"));
        assertEquals(before + 1, timeouts(), "one timeout, counted once");
    }

    @Test
    void withoutItsScheduleATaskIsNeverOverdue() {
        String name = unique("retired");
        created(api.send("POST", "api/tasks", JSON, "{\"name\":\"" + name + "\",\"schedule\":\"PT5M\",\"grace\":\"PT0S\"}"));
        JsonObject unscheduled = Api.ok(api.send("DELETE", "api/tasks/by-name/" + name + "/schedule", null, null));
        assertFalse(unscheduled.containsKey("schedule") || unscheduled.containsKey("expectedAt"));
        String other = unique("still-watched");
        created(api.send("POST", "api/tasks", JSON, "{\"name\":\"" + other + "\",\"schedule\":\"PT5M\",\"grace\":\"PT0S\"}"));
        advance(Duration.ofMinutes(10));
        api.await("the scheduled one overdue", () -> api.task(other), t -> "OVERDUE".equals(t.getString("state")));
        assertEquals("NOT_RUN", api.task(name).getString("state"));
    }

    @Test
    void badSchedulesGetAProblemThatSaysWhatWasWrongAndChangeNothing() {
        String name = unique("strict-schedule");
        api.create(name, "bad schedules");
        String path = "api/tasks/by-name/" + name + "/schedule";
        Api.assertProblem(400, "minute field '61'", api.send("PUT", path, JSON, "{\"schedule\":\"61 * * * *\"}"));
        Api.assertProblem(400, "day of week field '9'", api.send("PUT", path, JSON, "{\"schedule\":\"0 2 * * 9\"}"));
        Api.assertProblem(400, "5 fields", api.send("PUT", path, JSON, "{\"schedule\":\"0 2 * *\"}"));
        Api.assertProblem(400, "from PT1M", api.send("PUT", path, JSON, "{\"schedule\":\"PT30S\"}"));
        Api.assertProblem(400, "grace must be from PT0S", api.send("PUT", path, JSON, "{\"schedule\":\"PT1H\",\"grace\":\"-PT5M\"}"));
        Api.assertProblem(400, "not a time zone", api.send("PUT", path, JSON, "{\"schedule\":\"0 2 * * *\",\"timeZone\":\"Mars/Base\"}"));
        Api.assertProblem(400, "maxRuntime must be from PT1M", api.send("PUT", path, JSON, "{\"maxRuntime\":\"PT5S\"}"));
        Api.assertProblem(400, "schedule or maxRuntime is required", api.send("PUT", path, JSON, "{}"));
        Api.assertProblem(400, "send schedule too", api.send("PUT", path, JSON, "{\"grace\":\"PT5M\"}"));
        Api.assertProblem(400, "minute field", api.send("POST", "api/tasks", JSON, "{\"name\":\"" + unique("x")
                + "\",\"schedule\":\"99 * * * *\"}"));
        JsonObject task = api.task(name);
        assertFalse(task.containsKey("schedule") || task.containsKey("maxRuntime"), "nothing was written: " + task);
    }

    private void advance(Duration by) {
        HttpResponse<String> response = api.send("POST", "it/clock?advance=" + by, null, null);
        assertEquals(200, response.statusCode(), response.body());
    }

    private double timeouts() {
        return Scrape.parse(api.send("GET", "metrics", null, null).body()).valueOrZero("taskpulse_run_timeouts_total");
    }

    private static boolean hasState(JsonObject message, String name, String state) {
        JsonObject task = Api.taskIn(message, name);
        return task != null && state.equals(task.getString("state", ""));
    }

    private static JsonObject created(HttpResponse<String> response) {
        assertEquals(201, response.statusCode(), response.body());
        return Api.object(response.body());
    }

}
