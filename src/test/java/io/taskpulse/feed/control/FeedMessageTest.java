package io.taskpulse.feed.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.metrics.control.Metrics;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedMessageTest {

    @Test
    void shortMessageIsOnePartExactlyTheWholeText() {
        FeedMessage snapshot = FeedMessages.snapshot(3, false, 1000, List.of(task(1, 1, "a"), task(2, 3, "b")));

        assertEquals(List.of(snapshot.text()), snapshot.parts());
        assertFalse(snapshot.text().contains("\"more\""));
        assertFalse(snapshot.text().contains("\"part\""));
    }

    @Test
    void longSnapshotComesInPartsUnderTheLimitThatTogetherAreTheWholeMessage() {
        List<Change> tasks = new ArrayList<>();
        for (int id = 1; id <= 300; id++) {
            tasks.add(task(id, id, "task-" + id + "-" + "\u4EFB\u52A1".repeat(100)));
        }
        FeedMessage snapshot = FeedMessages.snapshot(300, true, 1000, tasks);

        List<String> parts = snapshot.parts();
        assertTrue(parts.size() > 10, parts.size() + " parts");
        for (int i = 0; i < parts.size(); i++) {
            String text = parts.get(i);
            assertTrue(Metrics.utf8Length(text) <= FeedMessage.PART_BYTES, "part " + i + ": " + Metrics.utf8Length(text) + " bytes");
            JsonObject part = parse(text);
            assertEquals("snapshot", part.getString("type"));
            assertEquals(300, part.getInt("revision"));
            assertTrue(part.getBoolean("reset"));
            assertEquals(1000, part.getInt("interval"));
            assertEquals(i == 0 ? -1 : i, part.getInt("part", -1));
            assertEquals(i < parts.size() - 1, part.getBoolean("more", false));
        }
        assertEquals(parse(snapshot.text()).getJsonArray("tasks"), joined(parts, "tasks"));
    }

    @Test
    void longChangesKeepEveryTaskAndEveryDeletionAcrossTheirParts() {
        List<Change> changes = new ArrayList<>();
        for (int id = 1; id <= 200; id++) {
            // ids of 19 digits: the deleted lists are long too
            long taskId = 1_000_000_000_000_000_000L + id;
            changes.add(id % 3 == 0 ? new Change(taskId, 1000 + id, null) : task(taskId, 1000 + id, "x".repeat(200)));
        }
        FeedMessage message = FeedMessages.changes(1000, 1200, changes);

        List<String> parts = message.parts();
        assertTrue(parts.size() > 2, parts.size() + " parts");
        for (String text : parts) {
            assertTrue(Metrics.utf8Length(text) <= FeedMessage.PART_BYTES, Metrics.utf8Length(text) + " bytes");
            JsonObject part = parse(text);
            assertEquals(1000, part.getInt("from"));
            assertEquals(1200, part.getInt("revision"));
        }
        JsonObject whole = parse(message.text());
        assertEquals(whole.getJsonArray("tasks"), joined(parts, "tasks"));
        assertEquals(whole.getJsonArray("deleted"), joined(parts, "deleted"));
        assertEquals(66, whole.getJsonArray("deleted").size());
    }

    @Test
    void taskBiggerThanAPartGetsAPartOfItsOwn() {
        FeedMessage snapshot = FeedMessages.snapshot(3, false, 1000,
                List.of(task(1, 1, "a"), task(2, 2, "b".repeat(FeedMessage.PART_BYTES * 2)), task(3, 3, "c")));

        List<String> parts = snapshot.parts();
        assertEquals(3, parts.size());
        assertEquals(List.of(1, 2, 3), parts.stream().map(p -> parse(p).getJsonArray("tasks").getJsonObject(0).getInt("id")).toList());
    }

    private static JsonArray joined(List<String> parts, String list) {
        JsonArrayBuilder all = Json.createArrayBuilder();
        for (String part : parts) {
            for (JsonValue value : parse(part).getJsonArray(list)) {
                all.add(value);
            }
        }
        return all.build();
    }

    private static JsonObject parse(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static Change task(long id, long revision, String name) {
        return new Change(id, revision, Json.createObjectBuilder().add("id", id).add("name", name).add("revision", revision)
                .build().toString());
    }
}
