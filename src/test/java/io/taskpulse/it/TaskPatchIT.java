package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PATCH on a task (issue 14): a JSON merge patch (RFC 7396) renames it, changes its description, tags and schedule;
 * a field left out stays, null removes it; all or nothing.
 */
class TaskPatchIT extends DeployedIT {

    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String JSON = "application/json";

    @Test
    void aRenameReachesOpenBoardsAndTheOldNameIsGone() {
        String name = unique("nightly-backup");
        String renamed = unique("backup-db1");
        long id = api.create(name, "copies the database").getJsonNumber("id").longValue();
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            JsonObject patched = Api.ok(patch("api/tasks/" + id, MERGE_PATCH, "{\"name\":\"" + renamed + "\"}"));
            assertEquals(renamed, patched.getString("name"));
            assertEquals("copies the database", patched.getString("description"), "what the patch left out stays");

            JsonObject message = socket.nextMatching(m -> Api.taskIn(m, renamed) != null);
            assertEquals(id, Api.taskIn(message, renamed).getJsonNumber("id").longValue());
        }
        assertEquals(404, api.send("GET", "api/tasks/by-name?name=" + Api.encode(name), null, null).statusCode());
        assertEquals(id, api.task(renamed).getJsonNumber("id").longValue());
    }

    @Test
    void aScheduleIsSetChangedAndRemovedByPatch() {
        String name = unique("report");
        api.create(name, "weekly report");
        String path = "api/tasks/by-name/" + name;

        JsonObject set = Api.ok(patch(path, MERGE_PATCH, "{\"schedule\":\"0 2 * * 1\",\"timeZone\":\"Europe/Berlin\",\"maxRuntime\":\"PT30M\"}"));
        assertEquals("0 2 * * 1", set.getString("schedule"));
        assertEquals("Europe/Berlin", set.getString("timeZone"));
        assertEquals("PT10M", set.getString("grace"), "the default grace, as on create");
        assertNotNull(set.getString("expectedAt"));

        JsonObject changed = Api.ok(patch(path, JSON, "{\"grace\":\"PT20M\"}"));
        assertEquals("0 2 * * 1", changed.getString("schedule"), "the schedule stays: only grace was sent");
        assertEquals("Europe/Berlin", changed.getString("timeZone"));
        assertEquals("PT20M", changed.getString("grace"));
        assertEquals("PT30M", changed.getString("maxRuntime"));

        JsonObject period = Api.ok(patch(path, JSON, "{\"schedule\":\"PT1H\"}"));
        assertEquals("PT1H", period.getString("schedule"));
        assertFalse(period.containsKey("timeZone"), "a period has no zone: " + period);

        JsonObject removed = Api.ok(patch("api/tasks/by-name?name=" + Api.encode(name), MERGE_PATCH, "{\"schedule\":null}"));
        assertFalse(removed.containsKey("schedule") || removed.containsKey("timeZone") || removed.containsKey("grace")
                || removed.containsKey("expectedAt"), removed.toString());
        assertEquals("PT30M", removed.getString("maxRuntime"), "maxRuntime was not named: it stays");
        assertEquals("weekly report", removed.getString("description"));
    }

    @Test
    void aPartialPatchKeepsTheOtherFieldsAndNullRemovesOne() {
        String name = unique("sync");
        Api.ok(patch("api/tasks/by-name/" + create(name, "{\"description\":\"syncs\",\"tags\":[\"team:db\"],\"schedule\":\"PT1H\"}"),
                MERGE_PATCH, "{\"tags\":[\"nightly\",\"team:db\",\"nightly\"]}"));
        JsonObject task = api.task(name);
        assertEquals(List.of("nightly", "team:db"), strings(task));
        assertEquals("syncs", task.getString("description"));
        assertEquals("PT1H", task.getString("schedule"));

        JsonObject described = Api.ok(patch("api/tasks/by-name/" + name, JSON, "{\"description\":null}"));
        assertFalse(described.containsKey("description"));
        assertEquals(List.of("nightly", "team:db"), strings(described));
        assertEquals("PT1H", described.getString("schedule"));
        JsonObject untagged = Api.ok(patch("api/tasks/by-name/" + name, JSON, "{\"tags\":null}"));
        assertEquals(List.of(), strings(untagged));
        assertEquals(name, untagged.getString("name"));
    }

    @Test
    void badPatchesGetAProblemAndChangeNothing() {
        String name = unique("strict");
        String taken = unique("taken");
        api.create(taken, "x");
        create(name, "{\"description\":\"before\",\"tags\":[\"keep\"]}");
        String path = "api/tasks/by-name/" + name;
        String unscheduled = "{\"description\":\"after\",";

        Api.assertProblem(400, "name is required", patch(path, JSON, "{\"description\":\"after\",\"name\":null}"));
        Api.assertProblem(400, "minute field '61'", patch(path, JSON, unscheduled + "\"schedule\":\"61 * * * *\"}"));
        Api.assertProblem(400, "send schedule too", patch(path, JSON, unscheduled + "\"timeZone\":\"Europe/Berlin\"}"));
        Api.assertProblem(400, "send schedule too", patch(path, JSON, unscheduled + "\"schedule\":null,\"grace\":\"PT5M\"}"));
        Api.assertProblem(400, "maxRuntime must be from PT1M", patch(path, JSON, unscheduled + "\"maxRuntime\":\"PT1S\"}"));
        Api.assertProblem(400, "lower-case letters, digits", patch(path, JSON, unscheduled + "\"tags\":[\"Team DB\"]}"));
        Api.assertProblem(400, "tags must be an array of strings", patch(path, JSON, unscheduled + "\"tags\":\"nightly\"}"));
        Api.assertProblem(400, "unknown field 'status'", patch(path, JSON, unscheduled + "\"status\":\"FAILED\"}"));
        Api.assertProblem(409, "already exists", patch(path, JSON, unscheduled + "\"name\":\"" + taken + "\"}"));
        Api.assertProblem(415, "application/merge-patch+json", patch(path, "text/plain", unscheduled + "\"tags\":[]}"));
        Api.assertProblem(415, "application/merge-patch+json", patch(path, "application/json-patch+json", "[]"));

        JsonObject task = api.task(name);
        assertEquals("before", task.getString("description"), "nothing was written: " + task);
        assertEquals(List.of("keep"), strings(task));
        assertFalse(task.containsKey("schedule") || task.containsKey("maxRuntime"), task.toString());

        String ghost = unique("ghost");
        Api.assertProblem(404, "no task named", patch("api/tasks/by-name/" + ghost, JSON, "{\"description\":\"x\"}"));
        Api.assertProblem(404, "no task named", patch("api/tasks/by-name?name=" + ghost, JSON, "{\"description\":\"x\"}"));
        Api.assertProblem(404, "no task with id", patch("api/tasks/999999999", JSON, "{\"description\":\"x\"}"));
        assertEquals(404, api.send("GET", "api/tasks/by-name?name=" + ghost, null, null).statusCode());
    }

    @Test
    void aPatchWithoutTheWriteTokenIsRefused() {
        String name = unique("guarded");
        api.create(name, "before");
        Api anonymous = new Api(base, "");
        HttpResponse<String> refused = anonymous.send("PATCH", "api/tasks/by-name/" + name, JSON, "{\"description\":\"after\"}");
        assertEquals(401, refused.statusCode(), refused.body());
        assertEquals("before", api.task(name).getString("description"));
    }

    private HttpResponse<String> patch(String path, String type, String body) {
        return api.send("PATCH", path, type, body);
    }

    /** Creates a task with the body's other fields; returns its name. */
    private String create(String name, String fields) {
        JsonObject body = Api.object(fields);
        String json = Json.createObjectBuilder(body).add("name", name).build().toString();
        HttpResponse<String> response = api.send("POST", "api/tasks", JSON, json);
        assertEquals(201, response.statusCode(), response.body());
        return name;
    }

    static List<String> strings(JsonObject task) {
        return task.getJsonArray("tags").getValuesAs(jakarta.json.JsonString::getString);
    }

    static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
