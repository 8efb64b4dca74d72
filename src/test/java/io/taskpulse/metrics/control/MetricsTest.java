package io.taskpulse.metrics.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskpulse.metrics.entity.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T23:00:00Z");

    private final Metrics metrics = new Metrics();

    @Test
    void sessionsAreCountedPerTransportWhileOpen() {
        metrics.sessionOpened(Transport.WEBSOCKET);
        metrics.sessionOpened(Transport.WEBSOCKET);
        metrics.sessionOpened(Transport.LONGPOLL);
        metrics.sessionClosed(Transport.WEBSOCKET);

        assertEquals(1, metrics.sessionsOpen(Transport.WEBSOCKET));
        assertEquals(1, metrics.sessionsOpen(Transport.LONGPOLL));
    }

    @Test
    void messagesAndBytesAddUpPerTransport() {
        metrics.sent(Transport.WEBSOCKET, 100);
        metrics.sent(Transport.WEBSOCKET, 20);
        metrics.sent(Transport.LONGPOLL, 7);

        assertEquals(2, metrics.messagesSent(Transport.WEBSOCKET));
        assertEquals(120, metrics.bytesSent(Transport.WEBSOCKET));
        assertEquals(1, metrics.messagesSent(Transport.LONGPOLL));
        assertEquals(7, metrics.bytesSent(Transport.LONGPOLL));
    }

    @Test
    void lagRunsFromTheChangesTimestampToNow() {
        metrics.clock = Clock.fixed(NOW, ZoneOffset.UTC);

        metrics.handedOver(NOW.minusMillis(40));
        metrics.handedOver(null);

        assertArrayEquals(new long[]{0, 0, 0, 1}, java.util.Arrays.copyOf(metrics.changeLag().cumulative(), 4));
        assertEquals(0.04, metrics.changeLag().sumSeconds(), 1e-9);
    }

    @Test
    void aChangeStampedAheadOfThisClockCountsAsNoLag() {
        metrics.clock = Clock.fixed(NOW, ZoneOffset.UTC);

        metrics.handedOver(NOW.plusSeconds(2));
        metrics.handedOver(Instant.MIN);

        assertEquals(2, metrics.changeLag().count());
        assertEquals(1, metrics.changeLag().cumulative()[0]);
    }

    @Test
    void pollsRecordDurationRevisionAndFailures() {
        assertEquals(-1, metrics.revision());

        metrics.polled(3_000_000, 42);
        metrics.pollFailed(2_000_000_000L);

        assertEquals(42, metrics.revision());
        assertEquals(2, metrics.pollDuration().count());
        assertEquals(1, metrics.pollFailures());
    }

    @Test
    void responsesAreCountedByStatusCodeInCodeOrder() {
        metrics.responded(404);
        metrics.responded(200);
        metrics.responded(404);

        assertEquals(Map.of(200, 1L, 404, 2L), metrics.responsesByCode());
        assertEquals(200, metrics.responsesByCode().firstKey());
    }

    @Test
    void utf8LengthIsWhatTheEncoderWrites() {
        for (String text : new String[]{"", "{\"a\":1}", "执行失败", "é", "emoji 😀 here", "lone \uD83D surrogate"}) {
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Metrics.utf8Length(text), text);
        }
    }
}
