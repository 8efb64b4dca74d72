package io.taskpulse.tasks.boundary;

import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * A request body read with a size limit and parsed with JSON-P, so that every way it can be wrong gets its
 * own plain message instead of a parser's stack trace.
 */
final class JsonBody {

    /** Far above any valid body (three fields of at most 2,000 characters), far below a memory risk. */
    static final int LIMIT_BYTES = 64 * 1024;

    private final JsonObject object;

    private JsonBody(JsonObject object) {
        this.object = object;
    }

    static JsonBody read(InputStream in, Set<String> allowedFields) {
        byte[] bytes = readAtMost(in, LIMIT_BYTES);
        if (bytes.length == 0) {
            throw TaskRejected.invalid("request body is empty; send a JSON object");
        }
        JsonValue value;
        try (JsonReader reader = Json.createReader(new ByteArrayInputStream(bytes))) {
            value = reader.readValue();
        } catch (JsonParsingException e) {
            throw TaskRejected.invalid("request body is not valid JSON (line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber() + ")");
        } catch (JsonException e) {
            throw TaskRejected.invalid("request body is not valid JSON");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw TaskRejected.invalid("request body must be a JSON object, not " + value.getValueType().name().toLowerCase());
        }
        JsonObject object = value.asJsonObject();
        for (String field : object.keySet()) {
            if (!allowedFields.contains(field)) {
                throw TaskRejected.invalid("unknown field '" + field + "'; allowed: " + String.join(", ", allowedFields));
            }
        }
        return new JsonBody(object);
    }

    /** A string field, or null when absent or JSON null. */
    String text(String field) {
        JsonValue value = object.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value instanceof JsonString string) {
            return string.getString();
        }
        throw TaskRejected.invalid(field + " must be a string");
    }

    private static byte[] readAtMost(InputStream in, int limit) {
        try {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new WebApplicationException("request body is larger than " + limit + " bytes",
                        Response.Status.REQUEST_ENTITY_TOO_LARGE);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
