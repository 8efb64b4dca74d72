package io.taskpulse.it;

import static io.taskpulse.it.TaskPatchIT.strings;
import static io.taskpulse.it.TaskPatchIT.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tags (issue 15): set on create and by PATCH, in the API and the feed, and a filter for the task list. */
class TagsIT extends DeployedIT {

    private static final String JSON = "application/json";

    @Test
    void tagsSetOnCreateAreShownNormalisedAndEveryTaskHasTheField() {
        String name = unique("tagged");
        HttpResponse<String> created = api.send("POST", "api/tasks", JSON,
                "{\"name\":\"" + name + "\",\"tags\":[\"team:db\",\"nightly\",\"team:db\"]}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(List.of("nightly", "team:db"), strings(Api.object(created.body())));
        String plain = unique("untagged");
        assertEquals(List.of(), strings(api.create(plain, "no tags")));
        assertEquals(List.of(), strings(api.task(plain)), "always an array, empty when none");
    }

    @Test
    void theListFiltersByTagAndStatusTogether() {
        String team = "team:" + unique("db").replace("-", "");
        String failed = unique("failed-db");
        String ok = unique("ok-db");
        String other = unique("other");
        for (String name : List.of(failed, ok)) {
            assertEquals(201, api.send("POST", "api/tasks", JSON, "{\"name\":\"" + name + "\",\"tags\":[\"" + team + "\"]}").statusCode());
        }
        api.create(other, "x");
        api.report(failed, "FAILED", "disk full");
        api.report(ok, "SUCCEEDED", "fine");

        assertEquals(List.of(failed, ok), names(Api.array(api.send("GET", "api/tasks?tag=" + Api.encode(team), null, null))));
        assertEquals(List.of(failed), names(Api.array(api.send("GET", "api/tasks?tag=" + Api.encode(team) + "&status=FAILED", null, null))));
        Api.assertProblem(400, "lower-case letters, digits", api.send("GET", "api/tasks?tag=Team%20DB", null, null));
    }

    @Test
    void tagsReachOpenBoardsWhenTheyChange() {
        String name = unique("watched");
        api.create(name, "x");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            JsonObject snapshot = socket.next();
            assertEquals(List.of(), strings(Api.taskIn(snapshot, name)), "the snapshot carries tags too");
            Api.ok(api.send("PATCH", "api/tasks/by-name/" + name, JSON, "{\"tags\":[\"nightly\"]}"));
            JsonObject changed = socket.nextMatching(m -> Api.taskIn(m, name) != null);
            assertEquals(List.of("nightly"), strings(Api.taskIn(changed, name)));
        }
    }

    @Test
    void aTagsColumnWrittenWithSqlIsReadAsTheTagsItNames() {
        String name = unique("sql-tagged");
        api.create(name, "x");
        api.awaitPublished(name);
        try (SocketClient socket = SocketClient.connect(api.base(), "")) {
            socket.next();
            HttpResponse<String> written = api.send("POST", "it/sql?name=" + Api.encode(name) + "&tags="
                    + Api.encode(" Nightly,team:db  nightly "), null, null);
            assertEquals(204, written.statusCode(), written.body());
            // The change trigger watches the column: another program's write of tags reaches open boards too.
            JsonObject changed = socket.nextMatching(m -> Api.taskIn(m, name) != null);
            assertEquals(List.of("nightly", "team:db"), strings(Api.taskIn(changed, name)));
        }
        assertEquals(List.of("nightly", "team:db"), strings(api.task(name)));
        assertEquals(List.of(name), names(Api.array(api.send("GET", "api/tasks?tag=nightly", null, null))).stream()
                .filter(name::equals).toList());
    }


    private static List<String> names(JsonArray tasks) {
        return tasks.stream().map(JsonValue::asJsonObject).map(t -> t.getString("name")).toList();
    }
}
