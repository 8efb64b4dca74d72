package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's bulk report, as a CI system sends it: many reports and starts in one request, applied in order in one
 * transaction; all or nothing, with every wrong item named by its index.
 */
class BulkReportsIT extends DeployedIT {

    private static final String JSON = "application/json";

    @Test
    void aBatchIsAppliedInOrderAndOpenSocketsSeeEveryTasksFinalState() {
        String build = unique("ci-build");
        String test = unique("ci-test");
        String lint = unique("ci-lint");
        List.of(build, test, lint).forEach(name -> api.create(name, "bulk"));
        api.awaitPublished(lint);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            JsonArray batch = Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("name", build).add("action", "start").add("runId", "b-1"))
                    .add(Json.createObjectBuilder().add("name", test).add("status", "FAILED").add("message", "2 failures"))
                    .add(Json.createObjectBuilder().add("name", build).add("exitCode", 0).add("runId", "b-1")
                            .add("output", "compiled 12 files"))
                    .add(Json.createObjectBuilder().add("name", lint).add("action", "start"))
                    .build();

            JsonObject answer = Api.ok(api.send("POST", "api/reports", JSON, batch.toString()));

            assertEquals(4, answer.getInt("count"));
            JsonArray results = answer.getJsonArray("results");
            assertEquals("RUNNING", results.getJsonObject(0).getString("state"));
            assertEquals("SUCCEEDED", results.getJsonObject(2).getString("state"), "the end after the start, in order");
            assertEquals("RUNNING", results.getJsonObject(3).getString("state"));
            socket.nextMatching(m -> hasState(m, lint, "RUNNING"));
        }
        assertEquals("SUCCEEDED", api.task(build).getString("state"));
        assertEquals("FAILED", api.task(test).getString("state"));
        JsonObject run = Api.array(api.send("GET", "api/tasks/by-name/" + build + "/runs", null, null)).getJsonObject(0);
        assertEquals("b-1", run.getString("runId"));
        assertTrue(run.containsKey("durationMs"), "the start and the end in one batch pair up");
        assertEquals("compiled 12 files", api.send("GET", "api/tasks/by-name/" + build + "/runs/b-1/output", null, null).body());
    }

    @Test
    void unknownNamesAreAllListedAndNothingIsWrittenUnlessCreateIsAsked() {
        String known = unique("known");
        String first = unique("new-a");
        String second = unique("new-b");
        api.create(known, "exists");
        String batch = Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", known).add("status", "FAILED"))
                .add(Json.createObjectBuilder().add("name", first).add("status", "SUCCEEDED"))
                .add(Json.createObjectBuilder().add("name", second).add("action", "start"))
                .build().toString();

        HttpResponse<String> refused = api.send("POST", "api/reports", JSON, batch);

        assertEquals(404, refused.statusCode(), refused.body());
        JsonArray errors = Api.object(refused.body()).getJsonArray("errors");
        assertEquals(2, errors.size());
        assertEquals(1, errors.getJsonObject(0).getInt("index"));
        assertEquals(first, errors.getJsonObject(0).getString("name"));
        assertEquals(2, errors.getJsonObject(1).getInt("index"));
        assertTrue(errors.getJsonObject(1).getString("detail").contains("create=true"));
        assertEquals("NOT_RUN", api.task(known).getString("state"), "all or nothing: the known task is untouched");

        JsonObject created = Api.ok(api.send("POST", "api/reports?create=true", JSON, batch));
        assertEquals(3, created.getInt("count"));
        assertEquals("SUCCEEDED", api.task(first).getString("state"));
        assertEquals("RUNNING", api.task(second).getString("state"));
    }

    @Test
    void everyInvalidItemIsNamedByItsIndexAndNothingIsWritten() {
        String name = unique("validated");
        api.create(name, "bad items");
        String batch = Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", name).add("status", "SUCCEEDED"))
                .add(Json.createObjectBuilder().add("name", name).add("status", "DONE"))
                .add(Json.createObjectBuilder().add("name", " ").add("status", "FAILED"))
                .add(Json.createObjectBuilder().add("name", name).add("exitCode", 300))
                .add(Json.createObjectBuilder().add("name", name).add("action", "start").add("status", "FAILED"))
                .add(Json.createObjectBuilder().add("name", name).add("action", "restart"))
                .build().toString();

        HttpResponse<String> refused = api.send("POST", "api/reports", JSON, batch);

        assertEquals(400, refused.statusCode(), refused.body());
        JsonObject problem = Api.object(refused.body());
        assertTrue(problem.getString("detail").startsWith("5 of 6 reports cannot be applied"), problem.toString());
        JsonArray errors = problem.getJsonArray("errors");
        assertEquals(List.of(1, 2, 3, 4, 5), errors.stream().map(e -> e.asJsonObject().getInt("index")).toList());
        assertTrue(errors.getJsonObject(0).getString("detail").contains("unknown status 'DONE'"));
        assertTrue(errors.getJsonObject(1).getString("detail").contains("name is required"));
        assertTrue(errors.getJsonObject(2).getString("detail").contains("exitCode"));
        assertTrue(errors.getJsonObject(3).getString("detail").contains("a start takes name and runId only"));
        assertTrue(errors.getJsonObject(4).getString("detail").contains("action must be start or end"));
        assertEquals("NOT_RUN", api.task(name).getString("state"), "the valid first item was not written either");
    }

    @Test
    void theBatchItselfMustBeAnArrayOfAtMostAThousandObjects() {
        Api.assertProblem(400, "must be a JSON array", api.send("POST", "api/reports", JSON, "{\"name\":\"x\"}"));
        Api.assertProblem(400, "holds no reports", api.send("POST", "api/reports", JSON, "[]"));
        Api.assertProblem(400, "report 1: unknown field 'colour'",
                api.send("POST", "api/reports", JSON, "[{\"name\":\"a\",\"status\":\"FAILED\"},{\"name\":\"b\",\"colour\":\"red\"}]"));
        Api.assertProblem(400, "report 0: message must be a string",
                api.send("POST", "api/reports", JSON, "[{\"name\":\"a\",\"message\":{\"deep\":[[[]]]}}]"));
        Api.assertProblem(400, "not valid JSON", api.send("POST", "api/reports", JSON, "[{\"name\":\"a\",\"status\":\"FAILED\"}] x"));
        Api.assertProblem(400, "create must be true or false", api.send("POST", "api/reports?create=yes", JSON, "[]"));
        Api.assertProblem(415, "application/json", api.send("POST", "api/reports", "text/plain", "[]"));
        JsonArrayBuilder tooMany = Json.createArrayBuilder();
        for (int i = 0; i <= 1000; i++) {
            tooMany.add(Json.createObjectBuilder().add("name", "t" + i).add("status", "SUCCEEDED"));
        }
        Api.assertProblem(400, "more than 1000 reports", api.send("POST", "api/reports", JSON, tooMany.build().toString()));
        Api.assertProblem(413, "larger than", api.send("POST", "api/reports", JSON, "[" + " ".repeat(9 * 1024 * 1024) + "]"));
        Api.assertProblem(405, "", api.send("GET", "api/reports", null, null));
    }

    @Test
    void aThousandReportsCreatingTheirTasksGoThroughInOneRequest() {
        String prefix = unique("fleet");
        JsonArrayBuilder batch = Json.createArrayBuilder();
        for (int i = 0; i < 1000; i++) {
            batch.add(Json.createObjectBuilder().add("name", prefix + "-" + i).add("exitCode", i % 7 == 0 ? 1 : 0));
        }
        JsonObject answer = Api.ok(api.send("POST", "api/reports?create=true", JSON, batch.build().toString()));
        assertEquals(1000, answer.getInt("count"));
        api.awaitPublished(prefix + "-999");
        assertEquals("FAILED", api.task(prefix + "-7").getString("state"));
        assertFalse(api.task(prefix + "-8").getString("state").equals("FAILED"));

        // The same thousand again, now existing, without create: every one is found (they are read 200 names a
        // query) and each answer names its own task, in order.
        JsonArrayBuilder again = Json.createArrayBuilder();
        for (int i = 0; i < 1000; i++) {
            again.add(Json.createObjectBuilder().add("name", prefix + "-" + i).add("exitCode", i % 7 == 0 ? 0 : 1));
        }
        JsonObject second = Api.ok(api.send("POST", "api/reports", JSON, again.build().toString()));
        assertEquals(1000, second.getInt("count"));
        JsonArray results = second.getJsonArray("results");
        for (int i = 0; i < 1000; i++) {
            assertEquals(prefix + "-" + i, results.getJsonObject(i).getString("name"));
            assertEquals(i % 7 == 0 ? "SUCCEEDED" : "FAILED", results.getJsonObject(i).getString("state"), "item " + i);
        }
        api.awaitPublished(prefix + "-999");
        assertEquals("SUCCEEDED", api.task(prefix + "-7").getString("state"));
    }

    private static boolean hasState(JsonObject message, String name, String state) {
        JsonObject task = Api.taskIn(message, name);
        return task != null && state.equals(task.getString("state", ""));
    }
}
