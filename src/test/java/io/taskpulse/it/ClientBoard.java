package io.taskpulse.it;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A client that follows the feed's rules, as the page does, and writes down every broken promise: a
 * "changes" message that does not start where the previous one ended (a skipped change), or a revision that
 * goes backwards. It keeps each task's JSON as the feed sent it, so a test can compare it field by field with
 * the API's.
 */
public final class ClientBoard {

    private final Map<Long, String> tasks = new HashMap<>();
    private final Map<Long, JsonObject> objects = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long revision = -1;
    private int messages;
    private int stale;

    public void apply(JsonObject message) {
        messages++;
        long next = message.getJsonNumber("revision").longValue();
        switch (message.getString("type")) {
            case "snapshot" -> {
                if (revision >= 0 && !message.getBoolean("reset")) {
                    violations.add("second snapshot without reset at " + next);
                }
                tasks.clear();
                objects.clear();
                message.getJsonArray("tasks").forEach(t -> put(t.asJsonObject()));
            }
            case "changes" -> {
                long from = message.getJsonNumber("from").longValue();
                if (from != revision) {
                    violations.add("changes from " + from + " while holding " + revision + " (skipped or repeated)");
                }
                message.getJsonArray("tasks").forEach(t -> put(t.asJsonObject()));
                for (JsonValue id : message.getJsonArray("deleted")) {
                    tasks.remove(((JsonNumber) id).longValue());
                    objects.remove(((JsonNumber) id).longValue());
                }
            }
            case "heartbeat" -> {
                if (next != revision) {
                    violations.add("heartbeat at " + next + " while holding " + revision);
                }
            }
            case "stale" -> {
                // The server could not read its database: the data stands still, at the revision held.
                stale++;
                if (next != revision) {
                    violations.add("stale at " + next + " while holding " + revision);
                }
            }
            default -> violations.add("unknown message type " + message.getString("type"));
        }
        if (next < revision) {
            violations.add("revision went back from " + revision + " to " + next);
        }
        revision = next;
    }

    private void put(JsonObject task) {
        tasks.put(task.getJsonNumber("id").longValue(), state(task));
        objects.put(task.getJsonNumber("id").longValue(), task);
    }

    /** What a user sees of a task: its name, status and message. */
    public static String state(JsonObject task) {
        return task.getString("name") + "|" + task.getString("status") + "|" + task.getString("message", "");
    }

    public Map<Long, String> tasks() {
        return tasks;
    }

    /** Every task as the feed last sent it, whole, by id. */
    public Map<Long, JsonObject> taskObjects() {
        return objects;
    }

    public long revision() {
        return revision;
    }

    public List<String> violations() {
        return violations;
    }

    public int messages() {
        return messages;
    }

    /** How many "stale" messages came: each means a poll of the server failed. */
    public int staleMessages() {
        return stale;
    }
}
