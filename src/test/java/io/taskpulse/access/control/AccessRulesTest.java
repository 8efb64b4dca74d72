package io.taskpulse.access.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.access.control.AccessRules.Refusal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

    private static final Optional<String> TOKEN = Optional.of("s3cret");

    @Test
    void withoutATokenOnlyLoopbackClientsMayWrite() {
        assertEquals(Optional.empty(), AccessRules.write(Optional.empty(), null, "127.0.0.1"));
        assertEquals(Optional.empty(), AccessRules.write(Optional.empty(), null, "0:0:0:0:0:0:0:1"));
        assertEquals(Optional.empty(), AccessRules.write(Optional.empty(), null, "::1"));
        assertEquals(Optional.of(Refusal.NOT_LOCAL), AccessRules.write(Optional.empty(), null, "192.0.2.10"));
        assertEquals(Optional.of(Refusal.NOT_LOCAL), AccessRules.write(Optional.empty(), null, "localhost.evil.example"));
        assertEquals(Optional.of(Refusal.NOT_LOCAL), AccessRules.write(Optional.empty(), null, null));
    }

    @Test
    void withATokenEveryWriteNeedsIt() {
        assertEquals(Optional.empty(), AccessRules.write(TOKEN, "Bearer s3cret", "192.0.2.10"));
        assertEquals(Optional.empty(), AccessRules.write(TOKEN, "bearer s3cret", "192.0.2.10"));
        assertEquals(Optional.of(Refusal.NO_TOKEN), AccessRules.write(TOKEN, null, "127.0.0.1"));
        assertEquals(Optional.of(Refusal.NO_TOKEN), AccessRules.write(TOKEN, "Basic czNjcmV0", "127.0.0.1"));
        assertEquals(Optional.of(Refusal.WRONG_TOKEN), AccessRules.write(TOKEN, "Bearer s3cre", "127.0.0.1"));
        assertEquals(Optional.of(Refusal.WRONG_TOKEN), AccessRules.write(TOKEN, "Bearer s3cret2", "127.0.0.1"));
    }

    @Test
    void pageOfTheSameOriginMayOpenTheSocket() {
        assertTrue(AccessRules.originAllowed("http://localhost:8080", "localhost:8080", ""));
        assertTrue(AccessRules.originAllowed("https://board.example", "board.example", ""));
        assertTrue(AccessRules.originAllowed("http://board.example", "board.example:80", ""));
        assertTrue(AccessRules.originAllowed(null, "localhost:8080", ""), "not a browser: no Origin");
    }

    @Test
    void pageOfAnotherOriginNeedsToBeListed() {
        assertFalse(AccessRules.originAllowed("http://evil.example", "localhost:8080", ""));
        assertFalse(AccessRules.originAllowed("http://localhost:9090", "localhost:8080", ""));
        assertFalse(AccessRules.originAllowed("null", "localhost:8080", ""));
        assertTrue(AccessRules.originAllowed("https://Wall.Example", "localhost:8080", "https://ops.example, https://wall.example"));
    }
}
