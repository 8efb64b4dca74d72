package io.taskpulse.metrics.boundary;

import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code GET /metrics}: the counters of {@link Metrics} in the Prometheus text format. Open to every client, like /health. */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    @Inject
    Metrics metrics;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            super.service(request, response);
        } else {
            response.setHeader("Allow", "GET, HEAD");
            Problems.write(response, 405, "method not allowed here; allowed: GET, HEAD");
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(Exposition.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    String scrape() {
        Exposition out = new Exposition();
        out.gauge("taskpulse_sessions_open", "Clients following the feed now: open WebSockets, held long-polls.");
        for (Transport transport : Transport.values()) {
            out.sample(metrics.sessionsOpen(transport), "transport", transport.label());
        }
        out.counter("taskpulse_messages_sent_total", "Feed messages sent to clients (one per client per message).");
        for (Transport transport : Transport.values()) {
            out.sample(metrics.messagesSent(transport), "transport", transport.label());
        }
        out.counter("taskpulse_bytes_sent_total", "UTF-8 bytes of the feed messages sent to clients.");
        for (Transport transport : Transport.values()) {
            out.sample(metrics.bytesSent(transport), "transport", transport.label());
        }
        out.counter("taskpulse_conflations_total",
                "Messages a slow WebSocket client did not get because one catch-up message replaced them.")
                .sample(metrics.conflations());
        out.gauge("taskpulse_outbox_queued_messages", "Messages waiting in the WebSocket outboxes (bounded per client).")
                .sample(metrics.queuedMessages());
        out.counter("taskpulse_slow_closes_total", "WebSocket clients closed (code 4000): a message was stuck for the send timeout.")
                .sample(metrics.slowCloses());
        out.counter("taskpulse_dead_peer_closes_total", "WebSocket clients closed (code 4001): a ping went unanswered.")
                .sample(metrics.deadPeerCloses());
        out.histogram("taskpulse_poll_duration_seconds",
                "Time of one poll: stamp pending changes, read them, hand them to the feed.", metrics.pollDuration());
        out.counter("taskpulse_poll_failures_total", "Polls that failed (database unreachable, ...); retried on the next tick.")
                .sample(metrics.pollFailures());
        out.counter("taskpulse_feed_resyncs_total",
                "Times the feed disagreed with the database and reloaded from it; every client then got a reset snapshot.")
                .sample(metrics.feedResyncs());
        out.counter("taskpulse_feed_subscriber_failures_total",
                "Clients dropped (and closed with 1011) because handing them a message failed; the others got it.")
                .sample(metrics.subscriberFailures());
        out.histogram("taskpulse_change_lag_seconds",
                "From a change's timestamp in the database to its hand-over to the clients.", metrics.changeLag());
        out.gauge("taskpulse_revision", "The feed's revision after the last successful poll; -1 before the first.")
                .sample(metrics.revision());
        out.counter("taskpulse_http_requests_total", "Requests to /api (tasks and feed) by response status code.");
        for (Map.Entry<Integer, Long> byCode : metrics.responsesByCode().entrySet()) {
            out.sample(byCode.getValue(), "code", byCode.getKey().toString());
        }
        out.gauge("taskpulse_jvm_heap_used_bytes", "Java heap in use.")
                .sample(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        out.gauge("taskpulse_jvm_threads", "Live threads of the server's JVM.")
                .sample(ManagementFactory.getThreadMXBean().getThreadCount());
        return out.toString();
    }
}
