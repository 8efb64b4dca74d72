package io.taskpulse.tasks.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.tasks.entity.TaskRejected;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * <p>
 * A list field holds an array of strings, read the same way: an item that is not a string (an array in an
 * array, a number) is refused the moment it starts, and at most {@link #MAX_ITEMS} items are read. A field left out
 * and a field sent as null are told apart ({@link #has}), as a merge patch (RFC 7396) needs.
 */
final class JsonBody {

    /** Far above any valid body (three fields of at most 2,000 characters), far below a memory risk. */
    static final int LIMIT_BYTES = 64 * 1024;
    static final String TOO_LARGE = "request body is larger than " + LIMIT_BYTES + " bytes";

    /** Far above any valid list (20 tags), far below a cost: an array of 30,000 empty strings fits in the limit. */
    static final int MAX_ITEMS = 100;

    private final Map<String, String> fields;
    private final Map<String, List<String>> lists;

    private JsonBody(Map<String, String> fields, Map<String, List<String>> lists) {
        this.fields = fields;
        this.lists = lists;
    }

    static JsonBody read(InputStream in, Set<String> allowedFields) {
        return read(in, allowedFields, Set.of());
    }

    /** {@code numberFields} (a subset of the allowed ones) hold whole numbers, the others strings. */
    static JsonBody read(InputStream in, Set<String> allowedFields, Set<String> numberFields) {
        return read(in, allowedFields, numberFields, Set.of());
    }

    /** {@code listFields} (a subset of the allowed ones) hold arrays of strings. */
    static JsonBody read(InputStream in, Set<String> allowedFields, Set<String> numberFields, Set<String> listFields) {
        String text = utf8(readAtMost(in, LIMIT_BYTES));
        if (text.isBlank()) {
            throw TaskRejected.invalid("request body is empty; send a JSON object");
        }
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            Map<String, List<String>> lists = new HashMap<>();
            return new JsonBody(fields(parser, allowedFields, numberFields, listFields, lists), lists);
        } catch (JsonParsingException e) {
            throw TaskRejected.invalid("request body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber() + ")"));
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw TaskRejected.invalid("request body is not valid JSON");
        }
    }

    /**
     * A JSON array of flat objects (a bulk request), each read like a single body; at most {@code maxItems} of them
     * and {@code limitBytes} in all. A structural mistake names the item it is in ("report 3: unknown field …").
     */
    static List<JsonBody> readArray(InputStream in, int limitBytes, int maxItems, String item,
            Set<String> allowedFields, Set<String> numberFields) {
        String text = utf8(readAtMost(in, limitBytes));
        if (text.isBlank()) {
            throw TaskRejected.invalid("request body is empty; send a JSON array");
        }
        List<JsonBody> items = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            JsonParser.Event first = parser.next();
            if (first != JsonParser.Event.START_ARRAY) {
                throw TaskRejected.invalid("request body must be a JSON array of " + item + "s, not " + kind(first));
            }
            for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_ARRAY; event = parser.next()) {
                if (items.size() == maxItems) {
                    throw TaskRejected.invalid("more than " + maxItems + " " + item + "s in one request");
                }
                try {
                    Map<String, List<String>> lists = new HashMap<>();
                    items.add(new JsonBody(object(event, parser, allowedFields, numberFields, Set.of(), lists), lists));
                } catch (TaskRejected e) {
                    throw TaskRejected.invalid(item + " " + items.size() + ": " + e.getMessage());
                }
            }
            if (parser.hasNext()) {
                throw TaskRejected.invalid("request body has content after the JSON array");
            }
        } catch (JsonParsingException e) {
            throw TaskRejected.invalid("request body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber() + ")"));
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            throw TaskRejected.invalid("request body is not valid JSON");
        }
        if (items.isEmpty()) {
            throw TaskRejected.invalid("the array holds no " + item + "s");
        }
        return items;
    }

    private static Map<String, String> fields(JsonParser parser, Set<String> allowedFields, Set<String> numberFields,
                                              Set<String> listFields, Map<String, List<String>> lists) {
        Map<String, String> fields = object(parser.next(), parser, allowedFields, numberFields, listFields, lists);
        if (parser.hasNext()) {
            throw TaskRejected.invalid("request body has content after the JSON object");
        }
        return fields;
    }

    private static Map<String, String> object(JsonParser.Event first, JsonParser parser, Set<String> allowedFields,
            Set<String> numberFields, Set<String> listFields, Map<String, List<String>> lists) {
        if (first != JsonParser.Event.START_OBJECT) {
            throw TaskRejected.invalid("request body must be a JSON object, not " + kind(first));
        }
        Map<String, String> fields = new HashMap<>();
        for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
            String field = parser.getString();
            if (!allowedFields.contains(field)) {
                throw TaskRejected.invalid("unknown field " + TaskRejected.quote(field) + "; allowed: " + String.join(", ", new java.util.TreeSet<>(allowedFields)));
            }
            if (fields.containsKey(field)) {
                throw TaskRejected.invalid("field '" + field + "' is given twice");
            }
            JsonParser.Event value = parser.next();
            if (numberFields.contains(field)) {
                fields.put(field, wholeNumber(field, value, parser));
            } else if (listFields.contains(field)) {
                fields.put(field, null);
                if (value != JsonParser.Event.VALUE_NULL) {
                    lists.put(field, strings(field, value, parser));
                }
            } else if (value == JsonParser.Event.VALUE_STRING) {
                fields.put(field, parser.getString());
            } else if (value == JsonParser.Event.VALUE_NULL) {
                fields.put(field, null);
            } else {
                throw TaskRejected.invalid(field + " must be a string");
            }
        }
        return fields;
    }

    private static List<String> strings(String field, JsonParser.Event value, JsonParser parser) {
        if (value != JsonParser.Event.START_ARRAY) {
            throw TaskRejected.invalid(field + " must be an array of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonParser.Event item = parser.next(); item != JsonParser.Event.END_ARRAY; item = parser.next()) {
            if (item != JsonParser.Event.VALUE_STRING) {
                throw TaskRejected.invalid(field + " must be an array of strings");
            }
            if (items.size() == MAX_ITEMS) {
                throw TaskRejected.invalid(field + " has more than " + MAX_ITEMS + " items");
            }
            items.add(parser.getString());
        }
        return items;
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
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> event.name().toLowerCase();
        };
    }

    /**
     * @Consumes lets a request without any Content-Type through, and CXF (TomEE) also lets "json" or "application"
     * through as if they were application/json: a script must say exactly what it sends (parameters such as charset
     * may follow); a PATCH may say {@code application/merge-patch+json} (RFC 7396).
     */
    static InputStream requireJson(jakarta.ws.rs.core.HttpHeaders headers, InputStream body, boolean mergePatch) {
        jakarta.ws.rs.core.MediaType type;
        try {
            type = headers.getMediaType();
        } catch (RuntimeException unparsable) {
            type = null;
        }
        boolean json = type != null && "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype())
                        || mergePatch && "merge-patch+json".equalsIgnoreCase(type.getSubtype()));
        if (!json) {
            throw new jakarta.ws.rs.NotSupportedException(mergePatch
                    ? "Content-Type must be application/merge-patch+json or application/json"
                    : "Content-Type must be application/json");
        }
        return body;
    }

    /** Whether the body names the field, with a value or null. */
    boolean has(String field) {
        return fields.containsKey(field);
    }

    /** A list field's strings, or null when absent or JSON null. */
    List<String> list(String field) {
        return lists.get(field);
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

    private static byte[] readAtMost(InputStream in, int limit) {
        try {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                // only a body without Content-Length gets here: BodyLimit refuses a declared one before
                throw new WebApplicationException("request body is larger than " + limit + " bytes",
                        Response.Status.REQUEST_ENTITY_TOO_LARGE);
            }
            return bytes;
        } catch (IOException e) {
            // The client's side of the connection broke off (fewer bytes than its Content-Length, bad chunks).
            throw TaskRejected.invalid("request body could not be read to its end");
        }
    }
}
