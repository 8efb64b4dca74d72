package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's runs, as scripts use them: a start makes the task RUNNING on every board, a report ends the run with
 * its duration, exit codes and output are kept, overlapping runs pair by runId, and bad input writes nothing.
 */
class RunsIT extends DeployedIT {

    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=UTF-8";

    @Test
    void aStartShowsTheTaskRunningOnOpenSocketsAndTheReportEndsTheRunWithItsDuration() {
        String name = unique("nightly-backup");
        api.create(name, "runs");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            JsonObject started = Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", null, null));
            assertEquals("RUNNING", started.getString("state"));
            assertEquals("NOT_RUN", started.getString("status"), "status stays the last result for old clients");
            assertTrue(started.containsKey("runningSince"));
            JsonObject running = socket.nextMatching(m -> Api.taskIn(m, name) != null
                    && "RUNNING".equals(Api.taskIn(m, name).getString("state", "")));
            assertEquals(started.getString("runId"), Api.taskIn(running, name).getString("runId"));

            JsonObject ended = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status", JSON, "{\"exitCode\":3}"));
            assertEquals("FAILED", ended.getString("state"));
            assertEquals(3, ended.getInt("exitCode"));
            assertFalse(ended.containsKey("runningSince"));
            JsonObject run = ended.getJsonObject("run");
            assertTrue(run.getBoolean("paired"));
            assertEquals(started.getString("runId"), run.getString("runId"));
            assertTrue(run.getJsonNumber("durationMs").longValue() >= 0);
            JsonObject done = socket.nextMatching(m -> Api.taskIn(m, name) != null
                    && "FAILED".equals(Api.taskIn(m, name).getString("state", "")));
            assertEquals(3, Api.taskIn(done, name).getInt("exitCode"));
        }
        JsonArray runs = Api.array(api.send("GET", "api/tasks/by-name/" + name + "/runs", null, null));
        assertEquals(1, runs.size());
        JsonObject run = runs.getJsonObject(0);
        assertEquals("FAILED", run.getString("status"));
        assertEquals(3, run.getInt("exitCode"));
        assertTrue(run.containsKey("startedAt") && run.containsKey("endedAt") && run.containsKey("durationMs"));
    }

    /**
     * A start's and a report's answers carry the change time the database's trigger stored, and no revision yet (the
     * stamp comes after the commit). On PostgreSQL the UPDATE returns them (configuration.EclipseLinkSession), elsewhere
     * the row is read back; an answer with the time the task had before the write would fail here.
     */
    @Test
    void startAndReportAnswerWithTheChangeTimeTheDatabaseStoredAndNoRevisionYet() {
        String name = unique("answered");
        api.create(name, "answers");
        api.awaitPublished(name);
        String before = api.task(name).getString("changedAt");
        String[][] writes = {
                {"POST", "start", null},
                {"PUT", "status", "{\"status\":\"FAILED\",\"message\":\"disk full\"}"},
                {"PUT", "status", "{\"status\":\"SUCCEEDED\",\"message\":\"ok\"}"},
                {"PUT", "status", "{\"status\":\"SUCCEEDED\",\"message\":\"ok\"}"}, // the same again: news, a new time
        };
        for (String[] write : writes) {
            JsonObject answer = Api.ok(api.send(write[0], "api/tasks/by-name/" + name + "/" + write[1],
                    write[2] == null ? null : JSON, write[2]));
            String stored = api.task(name).getString("changedAt");
            assertEquals(stored, answer.getString("changedAt"), write[0] + " " + write[1] + " " + write[2]);
            assertFalse(stored.equals(before), "a write changes the time: " + write[1] + " " + write[2]);
            assertFalse(answer.containsKey("revision"), "not stamped before the commit: " + answer);
            before = stored;
        }
    }

    @Test
    void overlappingRunsPairByRunIdAndAStartWithoutOneSupersedesTheOpenRun() {
        String name = unique("ci-step");
        api.create(name, "overlapping runs");
        Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", JSON, "{\"runId\":\"build-1\"}"));
        Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start?runId=build-2", null, null));
        JsonObject first = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status", JSON,
                "{\"status\":\"SUCCEEDED\",\"runId\":\"build-1\"}"));
        assertTrue(first.getJsonObject("run").getBoolean("paired"));
        assertEquals("RUNNING", first.getString("state"), "build-2 still runs");
        assertEquals("build-2", first.getString("runId"));
        JsonObject second = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status", JSON,
                "{\"exitCode\":0,\"runId\":\"build-2\"}"));
        assertEquals("SUCCEEDED", second.getString("state"));

        // A cron job killed mid-run never reports; its next start replaces the open run.
        Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", null, null));
        JsonObject latest = Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", null, null));
        Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status", JSON, "{\"status\":\"SUCCEEDED\"}"));
        JsonArray runs = Api.array(api.send("GET", "api/tasks/by-name/" + name + "/runs?limit=2", null, null));
        assertEquals(latest.getString("runId"), runs.getJsonObject(0).getString("runId"));
        assertEquals("SUCCEEDED", runs.getJsonObject(0).getString("status"));
        assertEquals("superseded by a newer start", runs.getJsonObject(1).getString("message"));
        assertFalse(runs.getJsonObject(1).containsKey("status"));
        // paging: the next page starts below the last id of this one
        JsonArray older = Api.array(api.send("GET", "api/tasks/by-name/" + name + "/runs?limit=10&before="
                + runs.getJsonObject(1).getJsonNumber("id").longValue(), null, null));
        assertEquals(2, older.size());
        assertEquals("build-2", older.getJsonObject(0).getString("runId"));
    }

    @Test
    void anEndWithoutAStartIsARunWithoutADurationAndTheAnswerSaysSo() {
        String name = unique("report-only");
        api.create(name, "no start");
        JsonObject plain = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status", JSON, "{\"status\":\"SUCCEEDED\"}"));
        assertFalse(plain.getJsonObject("run").getBoolean("paired"));
        assertFalse(plain.getJsonObject("run").containsKey("durationMs"));
        assertTrue(plain.getJsonObject("run").getString("note").contains("without a start"));
        JsonObject unknown = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status", JSON,
                "{\"exitCode\":1,\"runId\":\"never-started\",\"durationMs\":1500}"));
        assertTrue(unknown.getJsonObject("run").getString("note").contains("never-started"));
        assertEquals(1500, unknown.getJsonObject("run").getJsonNumber("durationMs").longValue(),
                "the script's own measure counts when TaskPulse saw no start");
        assertEquals(1500, unknown.getJsonNumber("durationMs").longValue());
    }

    @Test
    void outputSentAsTextKeepsItsLastPartWhenTooLargeAndTheBoardGetsItsLastLine() {
        String name = unique("noisy");
        api.create(name, "output");
        JsonObject started = Api.ok(api.send("POST", "api/tasks/by-name/" + name + "/start", null, null));
        StringBuilder log = new StringBuilder();
        for (int i = 0; log.length() < 200_000; i++) {
            log.append("step ").append(i).append(" <b>done</b>\n");
        }
        log.append("backup finished: 42 files\n");
        JsonObject ended = Api.ok(api.send("PUT", "api/tasks/by-name/" + name + "/status?exitCode=0", TEXT, log.toString()));
        JsonObject run = ended.getJsonObject("run");
        assertTrue(run.getBoolean("outputCut"));
        assertEquals(log.toString().getBytes(StandardCharsets.UTF_8).length, run.getJsonNumber("outputBytes").longValue());
        assertTrue(run.getString("outputNote").contains("last part is kept"));
        assertEquals("backup finished: 42 files", ended.getString("output"));

        HttpResponse<String> output = api.send("GET", "api/tasks/by-name/" + name + "/runs/"
                + started.getString("runId") + "/output", null, null);
        assertEquals(200, output.statusCode(), output.body());
        assertTrue(output.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertEquals("true", output.headers().firstValue("TaskPulse-Output-Cut").orElse(""));
        assertEquals(64 * 1024, output.body().getBytes(StandardCharsets.UTF_8).length);
        assertTrue(log.toString().endsWith(output.body()));
    }

    @Test
    void badInputGetsAProblemThatSaysWhatWasWrongAndWritesNothing() {
        String name = unique("strict");
        api.create(name, "bad input");
        String status = "api/tasks/by-name/" + name + "/status";
        Api.assertProblem(400, "0 to 255", api.send("PUT", status, JSON, "{\"exitCode\":256}"));
        Api.assertProblem(400, "whole number", api.send("PUT", status, JSON, "{\"exitCode\":\"0\"}"));
        Api.assertProblem(400, "whole number", api.send("PUT", status, JSON, "{\"exitCode\":1.5}"));
        Api.assertProblem(400, "contradicts", api.send("PUT", status, JSON, "{\"status\":\"SUCCEEDED\",\"exitCode\":1}"));
        Api.assertProblem(400, "status or exitCode", api.send("PUT", status, JSON, "{\"message\":\"done\"}"));
        Api.assertProblem(400, "runId", api.send("PUT", status, JSON, "{\"status\":\"FAILED\",\"runId\":\"\"}"));
        Api.assertProblem(400, "exitCode", api.send("PUT", status + "?exitCode=x", TEXT, "log"));
        Api.assertProblem(400, "unknown query parameter", api.send("PUT", status + "?exitcode=0", TEXT, "log"));
        Api.assertProblem(400, "create must be", api.send("POST", "api/tasks/by-name/" + name + "/start?create=yes", null, null));
        Api.assertProblem(404, "?create=true", api.send("POST", "api/tasks/by-name/" + unique("absent") + "/start", null, null));
        Api.assertProblem(404, "has no run", api.send("GET", "api/tasks/by-name/" + name + "/runs/nope/output", null, null));
        assertEquals(0, Api.array(api.send("GET", "api/tasks/by-name/" + name + "/runs", null, null)).size(),
                "a refused report wrote no run");
        assertEquals("NOT_RUN", api.task(name).getString("state"));
    }

    @Test
    void aFirstContactWithCreateMakesTheTaskAndNamesWithSlashesUseTheQueryForm() {
        String name = unique("team/deploy");
        JsonObject started = Api.ok(api.send("POST", "api/tasks/start?name=" + Api.encode(name) + "&create=true", null, null));
        assertEquals(name, started.getString("name"));
        assertEquals("RUNNING", started.getString("state"));
        Api.ok(api.send("PUT", "api/tasks/by-name?name=" + Api.encode(name) + "&exitCode=0", "text/plain", "deployed\n"));
        JsonArray runs = Api.array(api.send("GET", "api/tasks/runs?name=" + Api.encode(name), null, null));
        assertEquals(1, runs.size());
        assertEquals(0, runs.getJsonObject(0).getInt("exitCode"));
        HttpResponse<String> output = api.send("GET", "api/tasks/output?name=" + Api.encode(name) + "&runId="
                + started.getString("runId"), null, null);
        assertEquals("deployed\n", output.body());
    }


}
