package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A script that knows its task by name gets its history by name too, and every 404 says what it did not find:
 * the id, the name, or the path. The same answers on Jersey (Payara) and CXF (TomEE).
 */
class TaskLookupIT extends DeployedIT {

    @Test
    void historyByNameIsTheHistoryById() {
        String name = "lookup-" + UUID.randomUUID();
        long id = api.create(name, "history by name").getJsonNumber("id").longValue();
        api.report(name, "FAILED", "disk full");
        api.report(name, "SUCCEEDED", "ok");

        String byId = ok("api/tasks/" + id + "/history?limit=2");
        assertEquals(byId, ok("api/tasks/by-name/" + name + "/history?limit=2"));
        assertEquals(byId, ok("api/tasks/history?name=" + Api.encode(name) + "&limit=2"));
        assertTrue(byId.indexOf("SUCCEEDED") < byId.indexOf("FAILED"), "newest first: " + byId);
    }

    @Test
    void aNameWithASlashHasItsHistoryByQuery() {
        String name = "deploy/web-" + UUID.randomUUID();
        api.create(name, "a name with a slash");
        api.report(name, "FAILED", "exit 3");

        String history = ok("api/tasks/history?name=" + Api.encode(name));
        assertTrue(history.contains("\"exit 3\""), history);
    }

    @Test
    void everyNotFoundSaysWhatWasNotFound() {
        String nobody = "nobody-" + UUID.randomUUID();
        problem(404, "no task with id 'abc' (ids are numbers; for a task by name use /api/tasks/by-name/abc/status)",
                "GET", "api/tasks/abc/status");
        problem(404, "no task with id 'abc' (ids are numbers; for a task by name use /api/tasks/by-name/abc/status)",
                "PUT", "api/tasks/abc/status");
        problem(404, "no task with id 'nightly-backup' (ids are numbers; for a task by name use "
                + "/api/tasks/by-name/nightly-backup)", "GET", "api/tasks/nightly-backup");
        problem(404, "no task with id 987654321", "GET", "api/tasks/987654321/history");
        problem(404, "no task named '" + nobody + "'", "GET", "api/tasks/by-name/" + nobody + "/history");
        problem(404, "no task named '" + nobody + "'", "GET", "api/tasks/history?name=" + nobody);
        problem(400, "query parameter name is required", "GET", "api/tasks/history");
        problem(404, "no such path: '/api/nothing-here'", "GET", "api/nothing-here");
        problem(404, "no such path: '/api/tasks/7/owner'", "GET", "api/tasks/7/owner");
        problem(404, "no such path: '/nothing-here.html'", "GET", "nothing-here.html");
    }

    private String ok(String path) {
        HttpResponse<String> response = api.send("GET", path, null, null);
        assertEquals(200, response.statusCode(), path + " -> " + response.body());
        return response.body();
    }

    private void problem(int status, String detail, String method, String path) {
        HttpResponse<String> response = "PUT".equals(method)
                ? api.send(method, path, "application/json", "{\"status\":\"FAILED\"}")
                : api.send(method, path, null, null);
        String what = method + " " + path + " -> " + response.body();
        assertEquals(status, response.statusCode(), what);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
        JsonObject problem = Api.object(response.body());
        assertEquals(status, problem.getInt("status"), what);
        assertEquals(detail, problem.getString("detail"), what);
        assertFalse(response.body().contains("Exception"), what);
    }
}
