package io.taskpulse.feed.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which revisions an If-None-Match names (RFC 9110, section 13.1.2), and that a malformed one names none. */
class IfNoneMatchTest {

    @Test
    void aStrongOrWeakTagNamesItsRevisionAndStandsForSince() {
        for (String field : List.of("\"42\"", "W/\"42\"", "  \"42\"  ")) {
            IfNoneMatch held = parse(field);
            assertTrue(held.matches(42), field);
            assertFalse(held.matches(41), field);
            assertEquals(OptionalLong.of(42), held.only(), field);
        }
    }

    @Test
    void aListNamesEveryRevisionInItButStandsForNoSince() {
        IfNoneMatch held = parse("\"40\", W/\"42\",\"44\"");

        assertTrue(held.matches(40));
        assertTrue(held.matches(42));
        assertTrue(held.matches(44));
        assertFalse(held.matches(43));
        assertEquals(OptionalLong.empty(), held.only());
    }

    @Test
    void severalFieldsFormOneList() {
        IfNoneMatch held = IfNoneMatch.parse(List.of("\"7\"", "W/\"9\""));

        assertTrue(held.matches(7));
        assertTrue(held.matches(9));
        assertEquals(OptionalLong.empty(), held.only());
    }

    @Test
    void aStarNamesAnyRevision() {
        IfNoneMatch held = parse("*");

        assertTrue(held.matches(0));
        assertTrue(held.matches(123_456));
        assertEquals(OptionalLong.empty(), held.only());
    }

    @Test
    void tagsThatAreNotRevisionsNameNone() {
        IfNoneMatch held = parse("\"abc\", \"42\", \"-1\", \"\", \"99999999999999999999\"");

        assertTrue(held.matches(42));
        assertEquals(OptionalLong.of(42), held.only());
        assertFalse(parse("\"abc\"").matches(0));
        assertEquals(OptionalLong.empty(), parse("\"99999999999999999999\"").only());
    }

    @Test
    void aMalformedHeaderIsIgnoredAsAWhole() {
        for (String field : List.of("42", "\"42", "W/42", "\"42\" \"43\"", "\"42\"x", "*, \"42\"", "\"42\", *", "", ",", " , ",
                "W/", "w/\"42\"", "\"4\"2\"")) {
            IfNoneMatch held = parse(field);
            assertFalse(held.matches(42), field);
            assertEquals(OptionalLong.empty(), held.only(), field);
        }
        assertFalse(IfNoneMatch.parse(List.of("\"42\"", "junk")).matches(42));
    }

    @Test
    void noHeaderNamesNothing() {
        assertFalse(IfNoneMatch.parse(List.of()).matches(0));
        assertEquals(OptionalLong.empty(), IfNoneMatch.parse(List.of()).only());
    }

    private static IfNoneMatch parse(String field) {
        return IfNoneMatch.parse(List.of(field));
    }
}
