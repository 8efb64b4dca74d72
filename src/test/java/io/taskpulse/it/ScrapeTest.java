package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict parser MetricsIT relies on: it must reject what Prometheus would, or the IT proves nothing. */
class ScrapeTest {

    private static final String HISTOGRAM = """
            # HELP t_seconds a histogram
            # TYPE t_seconds histogram
            t_seconds_bucket{le="0.1"} 1
            t_seconds_bucket{le="1"} 3
            t_seconds_bucket{le="+Inf"} 4
            t_seconds_sum 2.5
            t_seconds_count 4
            """;

    @Test
    void readsCountersGaugesLabelsAndHistograms() {
        Scrape scrape = Scrape.parse("""
                # HELP t_total a counter
                # TYPE t_total counter
                t_total{code="200"} 3
                t_total{code="404",path="a \\"quoted\\" \\\\ one"} 1
                # TYPE g gauge
                g -1
                g{x="y",} 1.5e3
                """ + HISTOGRAM);

        assertEquals(3, scrape.value("t_total", "code", "200"));
        assertEquals(1, scrape.value("t_total", "code", "404", "path", "a \"quoted\" \\ one"));
        assertEquals(-1, scrape.value("g"));
        assertEquals(1500, scrape.value("g", "x", "y"));
        assertEquals(4, scrape.value("t_seconds_count"));
        assertEquals("histogram", scrape.type("t_seconds"));
        assertEquals(0, scrape.valueOrZero("t_total", "code", "500"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "# TYPE x counter\nx\n",                              // no value
        "# TYPE x counter\nx 1 2 3\n",                        // too much
        "# TYPE x counter\nx{a=b} 1\n",                       // unquoted label
        "# TYPE x counter\nx{a=\"b\"c=\"d\"} 1\n",           // no comma
        "# TYPE x counter\nx{a=\"b\",a=\"c\"} 1\n",          // label twice
        "# TYPE x counter\nx one\n",                          // not a number
        "# TYPE x counter\nx -1\n",                           // counter below zero
        "# TYPE x counter\nx 1",                              // no final newline
        "y 1\n",                                              // no TYPE
        "# TYPE x counter\nx 1\n# TYPE x counter\n",          // TYPE twice
        "# TYPE x banana\nx 1\n",                             // unknown type
        "# TYPE x counter\n# TYPE y gauge\nx{a=\"1\"} 1\ny 1\nx{a=\"2\"} 1\n", // family split
        "# TYPE x counter\nx 1\nx 2\n",                       // series repeated
        "# HELP x\n# TYPE x counter\nx 1\n",                  // HELP without text
        "# TYPE 1x counter\n1x 1\n",                          // bad name
    })
    void rejectsMalformedScrapes(String text) {
        assertThrows(IllegalArgumentException.class, () -> Scrape.parse(text));
    }

    @Test
    void rejectsBucketsThatAreNotCumulative() {
        assertThrows(IllegalArgumentException.class, () -> Scrape.parse(HISTOGRAM.replace("le=\"1\"} 3", "le=\"1\"} 0")));
    }

    @Test
    void rejectsAHistogramWithoutTheInfBucket() {
        assertThrows(IllegalArgumentException.class, () -> Scrape.parse(HISTOGRAM.replace("t_seconds_bucket{le=\"+Inf\"} 4\n", "")));
    }

    @Test
    void rejectsAHistogramWhoseInfBucketIsNotItsCount() {
        assertThrows(IllegalArgumentException.class, () -> Scrape.parse(HISTOGRAM.replace("t_seconds_count 4", "t_seconds_count 5")));
    }

    @Test
    void rejectsAHistogramWithoutSum() {
        assertThrows(IllegalArgumentException.class, () -> Scrape.parse(HISTOGRAM.replace("t_seconds_sum 2.5\n", "")));
    }

    @Test
    void rejectsBucketsOutOfOrder() {
        assertThrows(IllegalArgumentException.class, () -> Scrape.parse(HISTOGRAM.replace("le=\"0.1\"", "le=\"2\"")));
    }
}
