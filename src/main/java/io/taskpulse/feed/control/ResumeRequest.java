package io.taskpulse.feed.control;

import static io.taskpulse.configuration.JsonSupport.JSON;

import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.NoSuchElementException;

/**
 * The one message a feed client may send: {@code {"type":"resume","since":<revision>}}. Read token by token, as
 * the API reads its bodies: nothing is built from a hostile message (deep nesting, a number with a huge exponent),
 * and what a tree would hide is refused: a field given twice, an unknown field, content after the object, a
 * revision that does not fit in a long (a tree's longValue() wraps 2^64 round to 0).
 */
public final class ResumeRequest {

    private static final BigDecimal LARGEST = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final String SHAPE = "expected {\"type\":\"resume\",\"since\":<revision>}";

    private ResumeRequest() {
    }

    /**
     * @return the revision to resume from
     * @throws IllegalArgumentException with a reason fit for the close frame
     */
    public static long since(String text) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw new IllegalArgumentException(SHAPE);
            }
            String type = null;
            Long since = null;
            for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
                String field = parser.getString();
                JsonParser.Event value = parser.next();
                if ("type".equals(field) && type == null && value == JsonParser.Event.VALUE_STRING) {
                    type = parser.getString();
                } else if ("since".equals(field) && since == null) {
                    since = revision(parser, value);
                } else {
                    throw new IllegalArgumentException(SHAPE);
                }
            }
            if (parser.hasNext()) {
                throw new IllegalArgumentException("content after the message");
            }
            if (!"resume".equals(type)) {
                throw new IllegalArgumentException("unknown message type; only \"resume\" is understood");
            }
            if (since == null) {
                throw new IllegalArgumentException("since is missing");
            }
            return since;
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw new IllegalArgumentException("message is not valid JSON");
        }
    }

    private static long revision(JsonParser parser, JsonParser.Event value) {
        if (value != JsonParser.Event.VALUE_NUMBER || !parser.isIntegralNumber()) {
            throw new IllegalArgumentException("since must be a revision, a whole number from 0 up");
        }
        BigDecimal number = parser.getBigDecimal();
        if (number.signum() < 0 || number.compareTo(LARGEST) > 0) {
            throw new IllegalArgumentException("since must be a revision, a whole number from 0 up");
        }
        return number.longValueExact();
    }
}
