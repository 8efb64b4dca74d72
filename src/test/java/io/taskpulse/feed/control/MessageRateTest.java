package io.taskpulse.feed.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessageRateTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void burstIsAllowedAtOnceThenTheNextMessageIsRefused() {
        MessageRate rate = new MessageRate(3, 1, 0);

        assertTrue(rate.allow(0));
        assertTrue(rate.allow(0));
        assertTrue(rate.allow(0));
        assertFalse(rate.allow(0));
    }

    @Test
    void tokensComeBackAtTheRateUpToTheBurst() {
        MessageRate rate = new MessageRate(2, 2, 0);
        rate.allow(0);
        rate.allow(0);

        assertFalse(rate.allow(SECOND / 4));
        assertTrue(rate.allow(SECOND / 2));
        // A long quiet spell refills the burst, no more.
        assertTrue(rate.allow(100 * SECOND));
        assertTrue(rate.allow(100 * SECOND));
        assertFalse(rate.allow(100 * SECOND));
    }
}
