package io.taskpulse.it;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;

/**
 * Puts long feed messages together from their WebSocket parts, as the page's message-parts.js does: the second and
 * later parts carry {@code "part":n}, all but the last {@code "more":true}; the lists are joined. Fails the test on
 * a part that does not continue the message before it.
 */
final class MessageParts {

    private static final List<String> LISTS = List.of("tasks", "deleted");

    private JsonObject pending;
    private int next;
    private int received;

    /** The whole message, or null while parts are still to come. */
    JsonObject add(JsonObject message) {
        received++;
        int part = message.getInt("part", 0);
        if (part > 0) {
            if (pending == null || part != next || !pending.getString("type").equals(message.getString("type"))
                    || !pending.get("revision").equals(message.get("revision"))) {
                throw new AssertionError("part " + part + " does not continue " + pending);
            }
            JsonObjectBuilder joined = Json.createObjectBuilder(pending);
            for (String list : LISTS) {
                if (message.containsKey(list)) {
                    JsonArrayBuilder all = Json.createArrayBuilder(pending.getJsonArray(list));
                    message.getJsonArray(list).forEach(all::add);
                    joined.add(list, all);
                }
            }
            pending = joined.build();
            next++;
        } else {
            pending = message;
            next = 1;
        }
        if (message.getBoolean("more", false)) {
            return null;
        }
        JsonObjectBuilder whole = Json.createObjectBuilder(pending).remove("more").remove("part");
        pending = null;
        return whole.build();
    }

    int received() {
        return received;
    }
}
