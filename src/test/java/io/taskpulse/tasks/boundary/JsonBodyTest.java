package io.taskpulse.tasks.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.tasks.entity.TaskRejected;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each way a body can be wrong is a TaskRejected (400) with its own message; the cases are ones FuzzIT found as 500s or silent accepts. */
class JsonBodyTest {

    private static final Set<String> FIELDS = Set.of("name", "description");

    @Test
    void readsStringAndNullFields() {
        JsonBody body = read("{\"name\":\"backup \\uD83D\\uDE80\",\"description\":null}");

        assertEquals("backup \uD83D\uDE80", body.text("name"));
        assertNull(body.text("description"));
    }

    @Test
    void deepNestingIsRefusedAtItsFirstBracket() {
        // was a 500: "Input is too deeply nested 1,000" from the parser
        assertRejected("name must be a string", "{\"name\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}");
        assertRejected("JSON object, not an array", "[".repeat(30_000));
    }

    @Test
    void hugeNumbersAreRefusedWithoutBeingConverted() {
        // were 500s: "Exponent overflow" and "Number of BigDecimal source characters exceeded"
        assertRejected("name must be a string", "{\"name\":1E+2147483648}");
        assertRejected("description must be a string", "{\"name\":\"x\",\"description\":" + "9".repeat(5000) + "}");
        assertRejected("JSON object, not a number", "1e999999999");
    }

    @Test
    void aFieldGivenTwiceIsRefused() {
        // was accepted: the last value won, another parser might take the first
        assertRejected("given twice", "{\"name\":null,\"name\":\"x\"}");
    }

    @Test
    void contentAfterTheObjectIsRefused() {
        assertRejected("not valid JSON", "{\"name\":\"x\"} x");
        assertRejected("not valid JSON", "{\"name\":\"x\"}{\"name\":\"y\"}");
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() {
        // was accepted: the decoder turned them into U+FFFD and stored a name the client never sent
        byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'x', (byte) 0xff, '"', '}'};
        TaskRejected rejected = assertThrows(TaskRejected.class, () -> JsonBody.read(new ByteArrayInputStream(body), FIELDS));
        assertTrue(rejected.getMessage().contains("UTF-8"), rejected.getMessage());
    }

    @Test
    void aBodyCutShortByTheClientIs400Not500() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("early end of stream");
            }
        };
        TaskRejected rejected = assertThrows(TaskRejected.class, () -> JsonBody.read(broken, FIELDS));
        assertEquals(TaskRejected.Reason.INVALID, rejected.reason());
    }

    @Test
    void blankOrBrokenBodiesSayWhat() {
        assertRejected("empty", " \n\t");
        assertRejected("not valid JSON", "{\"name\":");
        assertRejected("unknown field 'status'", "{\"name\":\"x\",\"status\":\"FAILED\"}");
    }

    @Test
    void aFieldLeftOutIsToldApartFromANullOne() {
        JsonBody body = read("{\"description\":null}");

        assertTrue(body.has("description"));
        assertFalse(body.has("name"));
    }

    @Test
    void aListFieldIsAnArrayOfStrings() {
        JsonBody body = readList("{\"tags\":[\"nightly\",\"team:db\"]}");
        assertEquals(java.util.List.of("nightly", "team:db"), body.list("tags"));
        JsonBody none = readList("{\"tags\":null}");
        assertTrue(none.has("tags"));
        assertNull(none.list("tags"));
        assertEquals(java.util.List.of(), readList("{\"tags\":[]}").list("tags"));
    }

    @Test
    void aListWithAnythingButStringsIsRefusedAtItsFirstWrongItem() {
        for (String tags : new String[]{"\"nightly\"", "[1]", "[\"a\",null]", "{}", "[" + "[".repeat(30_000) + "]".repeat(30_000) + "]",
                "[1E+2147483648]", "true"}) {
            TaskRejected rejected = assertThrows(TaskRejected.class, () -> readList("{\"tags\":" + tags + "}"), tags);
            assertTrue(rejected.getMessage().contains("tags must be an array of strings"), rejected.getMessage());
        }
        TaskRejected tooMany = assertThrows(TaskRejected.class,
                () -> readList("{\"tags\":[" + "\"\",".repeat(JsonBody.MAX_ITEMS) + "\"\"]}"));
        assertTrue(tooMany.getMessage().contains("more than " + JsonBody.MAX_ITEMS + " items"), tooMany.getMessage());
    }

    private static JsonBody readList(String json) {
        return JsonBody.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Set.of("name", "tags"),
                Set.of(), Set.of("tags"));
    }

    private static JsonBody read(String json) {
        return JsonBody.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), FIELDS);
    }

    private static void assertRejected(String detail, String json) {
        TaskRejected rejected = assertThrows(TaskRejected.class, () -> read(json));
        assertEquals(TaskRejected.Reason.INVALID, rejected.reason());
        assertTrue(rejected.getMessage().contains(detail), rejected.getMessage());
    }
}
