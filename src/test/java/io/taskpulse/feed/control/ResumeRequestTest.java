package io.taskpulse.feed.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResumeRequestTest {

    @Test
    void resumeGivesItsRevisionWhateverTheFieldOrder() {
        assertEquals(42, ResumeRequest.since("{\"type\":\"resume\",\"since\":42}"));
        assertEquals(0, ResumeRequest.since(" {\"since\":0, \"type\":\"resume\"} "));
        assertEquals(Long.MAX_VALUE, ResumeRequest.since("{\"type\":\"resume\",\"since\":9223372036854775807}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello", "[1]", "null", "", "{}", "{\"type\":\"subscribe\"}", "{\"type\":\"resume\"}",
        "{\"type\":\"resume\",\"since\":-4}", "{\"type\":\"resume\",\"since\":1.5}", "{\"type\":\"resume\",\"since\":1e3}",
        "{\"type\":\"resume\",\"since\":\"7\"}", "{\"type\":\"resume\",\"since\":18446744073709551616}",
        "{\"type\":\"resume\",\"since\":9223372036854775808}", "{\"type\":\"resume\",\"since\":-9223372036854775809}",
        "{\"type\":\"x\",\"type\":\"resume\",\"since\":0}", "{\"type\":\"resume\",\"since\":-1,\"since\":0}",
        "{\"type\":\"resume\",\"since\":0}}", "{\"type\":\"resume\",\"since\":0} x", "{\"type\":\"resume\",\"since\":0,\"x\":1}",
        "{\"type\":\"resume\",\"since\":1e999999999}", "{\"type\":\"resume\",\"since\":[[[[[[[[[[0]]]]]]]]]]}"})
    void anythingElseIsRefusedWithAReason(String message) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ResumeRequest.since(message));
        assertEquals(false, refused.getMessage().isBlank());
    }
}
