package io.taskpulse.metrics.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskpulse.metrics.entity.Histogram;
import org.junit.jupiter.api.Test;

class ExpositionTest {

    @Test
    void writesHelpTypeAndOneLinePerSample() {
        String text = new Exposition()
                .counter("t_sent_total", "Messages sent.")
                .sample(3, "transport", "websocket")
                .sample(0, "transport", "longpoll")
                .gauge("t_revision", "The revision.")
                .sample(-1)
                .toString();

        assertEquals("""
                # HELP t_sent_total Messages sent.
                # TYPE t_sent_total counter
                t_sent_total{transport="websocket"} 3
                t_sent_total{transport="longpoll"} 0
                # HELP t_revision The revision.
                # TYPE t_revision gauge
                t_revision -1
                """, text);
    }

    @Test
    void writesAHistogramAsCumulativeBucketsSumAndCount() {
        Histogram histogram = new Histogram(0.005, 0.5, 2);
        histogram.observeNanos(1_000_000);
        histogram.observeNanos(300_000_000);
        histogram.observeNanos(4_000_000_000L);

        String text = new Exposition().histogram("t_seconds", "Durations.", histogram.snapshot()).toString();

        assertEquals("""
                # HELP t_seconds Durations.
                # TYPE t_seconds histogram
                t_seconds_bucket{le="0.005"} 1
                t_seconds_bucket{le="0.5"} 2
                t_seconds_bucket{le="2"} 2
                t_seconds_bucket{le="+Inf"} 3
                t_seconds_sum 4.301
                t_seconds_count 3
                """, text);
    }

    @Test
    void escapesHelpAndLabelValues() {
        String text = new Exposition().gauge("t", "a \\ b\nc").sample(1, "l", "say \"hi\"\\\n").toString();

        assertEquals("# HELP t a \\\\ b\\nc\n# TYPE t gauge\nt{l=\"say \\\"hi\\\"\\\\\\n\"} 1\n", text);
    }

    @Test
    void writesNumbersTheWayTheFormatSpellsThem() {
        assertEquals("0.005", Exposition.number(0.005));
        assertEquals("10", Exposition.number(10));
        assertEquals("0", Exposition.number(0.0));
        assertEquals("0.0000001", Exposition.number(1e-7));
        assertEquals("+Inf", Exposition.number(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Exposition.number(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", Exposition.number(Double.NaN));
    }

    @Test
    void refusesWhatTheFormatForbids() {
        assertThrows(IllegalStateException.class, () -> new Exposition().sample(1));
        assertThrows(IllegalStateException.class, () -> new Exposition().gauge("t", "h").counter("t", "h"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("t-x", "h"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("t", "h").sample(1, "bad-label", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("t", "h").sample(1, "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> new Exposition().gauge("t", "h").sample(1, "odd"));
        Histogram.Snapshot empty = new Histogram(1).snapshot();
        assertThrows(IllegalStateException.class, () -> new Exposition().histogram("h", "h", empty).sample(1));
    }
}
