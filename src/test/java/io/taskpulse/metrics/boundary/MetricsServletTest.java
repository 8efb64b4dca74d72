package io.taskpulse.metrics.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.changes.entity.Headline;
import io.taskpulse.configuration.Settings;
import io.taskpulse.feed.control.LoadedFeed;
import io.taskpulse.it.Scrape;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServletTest {

    private final MetricsServlet servlet = new MetricsServlet();

    @BeforeEach
    void freshMetrics() {
        servlet.metrics = new Metrics();
        servlet.feed = LoadedFeed.of(servlet.metrics, List.of());
        servlet.settings = new Settings();
    }

    @Test
    void tasksAreCountedPerStateAndPerTagWithEveryStatePresent() {
        servlet.feed = LoadedFeed.of(servlet.metrics, List.of(
                task(1, "backup", "FAILED", "team:db", "nightly"),
                task(2, "vacuum", "SUCCEEDED", "team:db"),
                task(3, "report", "OVERDUE", "nightly"),
                task(4, "deploy", "RUNNING"),
                new Change(5, 4, null)));

        Scrape scrape = Scrape.parse(servlet.scrape());

        assertEquals(1, scrape.value("taskpulse_tasks", "status", "FAILED"), scrape.toString());
        assertEquals(1, scrape.value("taskpulse_tasks", "status", "SUCCEEDED"));
        assertEquals(1, scrape.value("taskpulse_tasks", "status", "RUNNING"));
        assertEquals(1, scrape.value("taskpulse_tasks", "status", "OVERDUE"));
        assertEquals(0, scrape.value("taskpulse_tasks", "status", "NOT_RUN"));
        assertEquals(1, scrape.value("taskpulse_tasks", "status", "FAILED", "tag", "team:db"));
        assertEquals(1, scrape.value("taskpulse_tasks", "status", "SUCCEEDED", "tag", "team:db"));
        assertEquals(0, scrape.value("taskpulse_tasks", "status", "OVERDUE", "tag", "team:db"));
        assertEquals(1, scrape.value("taskpulse_tasks", "status", "OVERDUE", "tag", "nightly"));
        assertEquals(1, scrape.value("taskpulse_tasks_overdue"));
    }

    private static Change task(long id, String name, String state, String... tags) {
        return new Change(id, id, "{}", null, new Headline(name, state, List.of(tags)));
    }

    @Test
    void aFreshServerScrapesCleanlyWithEveryPromisedFamily() {
        Scrape scrape = Scrape.parse(servlet.scrape());

        // The Prometheus client writes no HELP/TYPE for a family without series: requests by code appear with the first.
        Scrape.TASKPULSE_FAMILIES.forEach((family, type) -> {
            if (!family.equals("taskpulse_http_requests_total")) {
                assertEquals(type, scrape.type(family), family);
            }
        });
        assertNull(scrape.type("taskpulse_http_requests_total"));
        servlet.metrics.responded(200);
        assertEquals("counter", Scrape.parse(servlet.scrape()).type("taskpulse_http_requests_total"));
        assertEquals(0, scrape.value("taskpulse_sessions_open", "transport", "websocket"));
        assertEquals(0, scrape.value("taskpulse_sessions_open", "transport", "longpoll"));
        assertEquals(-1, scrape.value("taskpulse_revision"));
        assertTrue(scrape.value("taskpulse_jvm_threads") > 0);
    }

    @Test
    void whatWasRecordedIsWhatIsScraped() {
        Metrics metrics = servlet.metrics;
        metrics.sessionOpened(Transport.LONGPOLL);
        metrics.sent(Transport.WEBSOCKET, 512);
        metrics.conflated(1);
        metrics.closedAsTooSlow();
        metrics.closedAsTooSlow();
        metrics.polled(2_000_000, 17);
        metrics.pollFailed(30_000_000);
        metrics.responded(404);
        metrics.responded(400);
        metrics.responded(404);

        Scrape scrape = Scrape.parse(servlet.scrape());

        assertEquals(1, scrape.value("taskpulse_sessions_open", "transport", "longpoll"));
        assertEquals(1, scrape.value("taskpulse_messages_sent_total", "transport", "websocket"));
        assertEquals(512, scrape.value("taskpulse_bytes_sent_total", "transport", "websocket"));
        assertEquals(1, scrape.value("taskpulse_conflations_total"));
        assertEquals(2, scrape.value("taskpulse_slow_closes_total"));
        assertEquals(17, scrape.value("taskpulse_revision"));
        assertEquals(2, scrape.value("taskpulse_poll_duration_seconds_count"));
        assertEquals(1, scrape.value("taskpulse_poll_duration_seconds_bucket", "le", "0.0025"));
        assertEquals(0.032, scrape.value("taskpulse_poll_duration_seconds_sum"), 1e-9);
        assertEquals(1, scrape.value("taskpulse_poll_failures_total"));
        assertEquals(2, scrape.value("taskpulse_http_requests_total", "code", "404"));
        assertEquals(1, scrape.value("taskpulse_http_requests_total", "code", "400"));
    }

    @Test
    void aScraperThatAsksForOpenMetricsGetsItAndOthersGetTheTextFormat() {
        servlet.metrics.sent(Transport.WEBSOCKET, 512);
        String prometheusAccept = "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.1";

        var openMetrics = MetricsServlet.writerFor(prometheusAccept);
        String text = new String(servlet.write(openMetrics), StandardCharsets.UTF_8);

        assertTrue(openMetrics.getContentType().startsWith("application/openmetrics-text"), openMetrics.getContentType());
        assertTrue(text.endsWith("# EOF\n"), text);
        assertTrue(text.contains("# TYPE taskpulse_messages_sent counter\n"), text);
        assertTrue(text.contains("taskpulse_messages_sent_total{transport=\"websocket\"} 1"), text);
        for (String accept : new String[]{null, "*/*", "text/plain"}) {
            assertTrue(MetricsServlet.writerFor(accept).getContentType().startsWith("text/plain; version=0.0.4"), accept);
        }
    }
}
