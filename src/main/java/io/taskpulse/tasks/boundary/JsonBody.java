package io.taskpulse.tasks.boundary;

import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A request body read with a size limit and parsed so that every way it can be wrong gets its own plain 4xx
 * message, never a parser's exception (a 500 with a stack trace in the log).
 * <p>
 * It reads the one object it expects as a stream of tokens, field by field, instead of building a tree: a
 * value that is not a string or null is refused the moment it starts, so a body nested thousands deep or a
 * number with a huge exponent is never built or converted (JSON-P parsers throw runtime exceptions of their own
 * there: "too deeply nested", "exponent overflow"). It also refuses what a tree would hide: a field given twice
 * (which one counts would depend on the parser), content after the object, and bytes that are not UTF-8 (a
 * decoder would quietly turn them into U+FFFD and store a name the client never sent).
 */
final class JsonBody {

    /** Far above any valid body (three fields of at most 2,000 characters), far below a memory risk. */
    static final int LIMIT_BYTES = 64 * 1024;
    static final String TOO_LARGE = "request body is larger than " + LIMIT_BYTES + " bytes";

    private final Map<String, String> fields;

    private JsonBody(Map<String, String> fields) {
        this.fields = fields;
    }

    static JsonBody read(InputStream in, Set<String> allowedFields) {
        return read(in, allowedFields, Set.of());
    }

    /** {@code numberFields} (a subset of the allowed ones) hold whole numbers, the others strings. */
    static JsonBody read(InputStream in, Set<String> allowedFields, Set<String> numberFields) {
        String text = utf8(readAtMost(in));
        if (text.isBlank()) {
            throw TaskRejected.invalid("request body is empty; send a JSON object");
        }
        try (JsonParser parser = Json.createParser(new StringReader(text))) {
            return new JsonBody(fields(parser, allowedFields, numberFields));
        } catch (JsonParsingException e) {
            throw TaskRejected.invalid("request body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber() + ")"));
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw TaskRejected.invalid("request body is not valid JSON");
        }
    }

    private static Map<String, String> fields(JsonParser parser, Set<String> allowedFields, Set<String> numberFields) {
        JsonParser.Event first = parser.next();
        if (first != JsonParser.Event.START_OBJECT) {
            throw TaskRejected.invalid("request body must be a JSON object, not " + kind(first));
        }
        Map<String, String> fields = new HashMap<>();
        for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
            String field = parser.getString();
            if (!allowedFields.contains(field)) {
                throw TaskRejected.invalid("unknown field " + TaskRejected.quote(field) + "; allowed: " + String.join(", ", allowedFields));
            }
            if (fields.containsKey(field)) {
                throw TaskRejected.invalid("field '" + field + "' is given twice");
            }
            JsonParser.Event value = parser.next();
            if (numberFields.contains(field)) {
                fields.put(field, wholeNumber(field, value, parser));
            } else if (value == JsonParser.Event.VALUE_STRING) {
                fields.put(field, parser.getString());
            } else if (value == JsonParser.Event.VALUE_NULL) {
                fields.put(field, null);
            } else {
                throw TaskRejected.invalid(field + " must be a string");
            }
        }
        if (parser.hasNext()) {
            throw TaskRejected.invalid("request body has content after the JSON object");
        }
        return fields;
    }

    private static String wholeNumber(String field, JsonParser.Event value, JsonParser parser) {
        if (value == JsonParser.Event.VALUE_NULL) {
            return null;
        }
        if (value == JsonParser.Event.VALUE_NUMBER && parser.isIntegralNumber()) {
            java.math.BigDecimal number = parser.getBigDecimal();
            if (number.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return number.toBigInteger().toString();
            }
        }
        throw TaskRejected.invalid(field + " must be a whole number");
    }

    private static String kind(JsonParser.Event event) {
        return switch (event) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> event.name().toLowerCase();
        };
    }

    /** A string field, or null when absent or JSON null. */
    String text(String field) {
        return fields.get(field);
    }

    /** A number field (see {@link #read(InputStream, Set, Set)}), or null when absent or JSON null. */
    Long wholeNumber(String field) {
        String number = fields.get(field);
        return number == null ? null : Long.valueOf(number);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw TaskRejected.invalid("request body is not valid UTF-8");
        }
    }

    private static byte[] readAtMost(InputStream in) {
        try {
            byte[] bytes = in.readNBytes(LIMIT_BYTES + 1);
            if (bytes.length > LIMIT_BYTES) {
                // only a body without Content-Length gets here: BodyLimit refuses a declared one before
                throw new WebApplicationException(TOO_LARGE, Response.Status.REQUEST_ENTITY_TOO_LARGE);
            }
            return bytes;
        } catch (IOException e) {
            // The client's side of the connection broke off (fewer bytes than its Content-Length, bad chunks).
            throw TaskRejected.invalid("request body could not be read to its end");
        }
    }
}
