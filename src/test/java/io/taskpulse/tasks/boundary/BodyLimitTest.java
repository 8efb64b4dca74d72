package io.taskpulse.tasks.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskpulse.tasks.boundary.BodyLimit.Decision;
import org.junit.jupiter.api.Test;

/** Which bodies BodyLimit refuses by their Content-Length, and which of those it reads to their end first. */
class BodyLimitTest {

    @Test
    void aBodyUpToTheLimitOrOfUnknownLengthGoesOnToBeRead() {
        assertEquals(Decision.PASS, Decision.of(-1, false, false));
        assertEquals(Decision.PASS, Decision.of(0, false, false));
        assertEquals(Decision.PASS, Decision.of(JsonBody.LIMIT_BYTES, false, false));
        assertEquals(Decision.PASS, Decision.of(JsonBody.LIMIT_BYTES, true, false));
    }

    @Test
    void aLargerBodyIsRefusedAndDroppedSoThatTheClientCanFinishSendingIt() {
        assertEquals(Decision.REFUSE_AND_DRAIN, Decision.of(JsonBody.LIMIT_BYTES + 1, false, false));
        assertEquals(Decision.REFUSE_AND_DRAIN, Decision.of(2 * 1024 * 1024, false, false));
        assertEquals(Decision.REFUSE_AND_DRAIN, Decision.of(BodyLimit.DRAIN_LIMIT_BYTES, false, false));
    }

    @Test
    void aBodyTooLargeToDropOrHeldBackFor100ContinueIsRefusedWithoutReadingAndTheConnectionEnds() {
        assertEquals(Decision.REFUSE_AND_CLOSE, Decision.of(BodyLimit.DRAIN_LIMIT_BYTES + 1, false, false));
        assertEquals(Decision.REFUSE_AND_CLOSE, Decision.of(Long.MAX_VALUE, false, false));
        assertEquals(Decision.REFUSE_AND_CLOSE, Decision.of(JsonBody.LIMIT_BYTES + 1, true, false));
    }

    @Test
    void theBodyOfAnH2cUpgradeRequestIsLeftToTheServer() {
        assertEquals(Decision.REFUSE, Decision.of(2 * 1024 * 1024, false, true));
        assertEquals(Decision.PASS, Decision.of(100, false, true));
    }
}
