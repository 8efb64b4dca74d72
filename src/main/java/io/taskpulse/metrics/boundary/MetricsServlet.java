package io.taskpulse.metrics.boundary;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.taskpulse.badges.control.Rollup;
import io.taskpulse.changes.entity.Headline;
import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.configuration.Settings;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Histogram;
import io.taskpulse.metrics.entity.Transport;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * {@code GET /metrics}: the counters of {@link Metrics} in the Prometheus text format (0.0.4), or in OpenMetrics
 * when the scraper's {@code Accept} asks for it. Open to every client, like /health. Recording stays on
 * {@link Metrics}' lock-free adders; this servlet only reads them into the Prometheus client's snapshot model at
 * scrape time, and the client's writers spell the format.
 */
@WebServlet("/metrics")
public class MetricsServlet extends HttpServlet {

    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    @Inject
    Metrics metrics;

    @Inject
    TaskFeed feed;

    @Inject
    Settings settings;

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
        ExpositionFormatWriter writer = writerFor(request.getHeader("Accept"));
        byte[] body = write(writer);
        response.setStatus(200);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(writer.getContentType());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The scrape in the Prometheus text format. */
    String scrape() {
        return new String(write(FORMATS.getPrometheusTextFormatWriter()), StandardCharsets.UTF_8);
    }

    /** OpenMetrics when the scraper's Accept asks for it (Prometheus does by default), else the text format 0.0.4. */
    static ExpositionFormatWriter writerFor(String accept) {
        return FORMATS.findWriter(accept);
    }

    byte[] write(ExpositionFormatWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, snapshots());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    MetricSnapshots snapshots() {
        return MetricSnapshots.of(
                byTransport(GaugeSnapshot.builder().name("taskpulse_sessions_open")
                        .help("Clients following the feed now: open WebSockets, held long-polls."), metrics::sessionsOpen),
                byTransport(CounterSnapshot.builder().name("taskpulse_messages_sent")
                        .help("Feed messages sent to clients (one per client per message)."), metrics::messagesSent),
                byTransport(CounterSnapshot.builder().name("taskpulse_bytes_sent")
                        .help("UTF-8 bytes of the feed messages sent to clients."), metrics::bytesSent),
                counter("taskpulse_conflations",
                        "Messages a slow WebSocket client did not get because one catch-up message replaced them.",
                        metrics.conflations()),
                gauge("taskpulse_outbox_queued_messages", "Messages waiting in the WebSocket outboxes (bounded per client).",
                        metrics.queuedMessages()),
                counter("taskpulse_slow_closes", "WebSocket clients closed (code 4000): a message was stuck for the send timeout.",
                        metrics.slowCloses()),
                counter("taskpulse_dead_peer_closes", "WebSocket clients closed (code 4001): a ping went unanswered.",
                        metrics.deadPeerCloses()),
                histogram("taskpulse_poll_duration_seconds",
                        "Time of one poll: stamp pending changes, read them, hand them to the feed.", metrics.pollDuration()),
                counter("taskpulse_poll_failures", "Polls that failed (database unreachable, ...); retried on the next tick.",
                        metrics.pollFailures()),
                counter("taskpulse_feed_resyncs",
                        "Times the feed disagreed with the database and reloaded from it; every client then got a reset snapshot.",
                        metrics.feedResyncs()),
                counter("taskpulse_write_retries",
                        "API writes run again because the database rolled them back (deadlock, lock timeout); "
                                + "a script saw 503 only after the last attempt.", metrics.writeRetries()),
                counter("taskpulse_overdue",
                        "Tasks this server marked overdue: an expected run did not come within its grace time.",
                        metrics.overdueMarked()),
                counter("taskpulse_run_timeouts",
                        "Runs this server failed because they were still open after their task's maxRuntime.",
                        metrics.runTimeouts()),
                tasksByState(),
                gauge("taskpulse_tasks_overdue", "Tasks overdue now: an expected run did not come within its grace time.",
                        feed.headlines().stream().filter(h -> "OVERDUE".equals(h.state())).count()),
                counter("taskpulse_alerts_sent", "Alerts this server delivered and the receiver confirmed (2xx, or taken by SMTP).",
                        metrics.alertsSent()),
                counter("taskpulse_alerts_failed",
                        "Alerts this server gave up: a 4xx other than 408/429, a redirect, or retries ran out.", metrics.alertsFailed()),
                gauge("taskpulse_alerts_pending", "Alerts waiting in the outbox for a (first or next) attempt.",
                        metrics.alertsPending()),
                histogram("taskpulse_alert_delivery_seconds",
                        "From a transition to the confirmed delivery of its alert.", metrics.alertLatency()),
                counter("taskpulse_feed_subscriber_failures",
                        "Clients dropped (and closed with 1011) because handing them a message failed; the others got it.",
                        metrics.subscriberFailures()),
                histogram("taskpulse_change_lag_seconds",
                        "From a change's timestamp in the database to its hand-over to the clients.", metrics.changeLag()),
                gauge("taskpulse_revision", "The feed's revision after the last successful poll; -1 before the first.",
                        metrics.revision()),
                responsesByCode(),
                gauge("taskpulse_jvm_heap_used_bytes", "Java heap in use.",
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()),
                gauge("taskpulse_jvm_threads", "Live threads of the server's JVM.",
                        ManagementFactory.getThreadMXBean().getThreadCount()));
    }

    private static GaugeSnapshot byTransport(GaugeSnapshot.Builder family, ToLongFunction<Transport> value) {
        for (Transport transport : Transport.values()) {
            family.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("transport", transport.label())).value(value.applyAsLong(transport)).build());
        }
        return family.build();
    }

    private static CounterSnapshot byTransport(CounterSnapshot.Builder family, ToLongFunction<Transport> value) {
        for (Transport transport : Transport.values()) {
            family.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("transport", transport.label())).value(value.applyAsLong(transport)).build());
        }
        return family.build();
    }

    /**
     * Tasks per state as the boards show them, from the feed's memory (no query per scrape): one series per state
     * without a tag label (all tasks; select them with {@code tag=""}), and one per tag and state. Every state is
     * present, with 0, so that an alert on {@code taskpulse_tasks{status="FAILED"} > 0} never sees a missing series.
     * Tags are the operators' own words about their tasks: /metrics is open to all, so while reading is restricted
     * ({@code taskpulse.read.role}) the per-tag series are left out.
     */
    private GaugeSnapshot tasksByState() {
        boolean tagsShown = settings.readRole().isEmpty();
        Map<String, long[]> byTag = new TreeMap<>();
        long[] all = new long[Rollup.ORDER.size()];
        for (Headline task : feed.headlines()) {
            int rank = Rollup.rank(task.state());
            all[rank]++;
            for (String tag : tagsShown ? task.tags() : List.<String>of()) {
                byTag.computeIfAbsent(tag, t -> new long[Rollup.ORDER.size()])[rank]++;
            }
        }
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name("taskpulse_tasks")
                .help("Tasks by state (NOT_RUN, SUCCEEDED, FAILED, RUNNING, OVERDUE): all tasks, and per tag.");
        for (int i = 0; i < all.length; i++) {
            family.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("status", Rollup.ORDER.get(i))).value(all[i]).build());
        }
        byTag.forEach((tag, counts) -> {
            for (int i = 0; i < counts.length; i++) {
                family.dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(Labels.of("status", Rollup.ORDER.get(i), "tag", tag)).value(counts[i]).build());
            }
        });
        return family.build();
    }

    private CounterSnapshot responsesByCode() {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name("taskpulse_http_requests")
                .help("Requests to /api (tasks and feed) by response status code.");
        for (Map.Entry<Integer, Long> byCode : metrics.responsesByCode().entrySet()) {
            family.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(Labels.of("code", byCode.getKey().toString())).value(byCode.getValue()).build());
        }
        return family.build();
    }

    /** {@code name} without {@code _total}: the writers add it (the model refuses it). */
    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, long value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** Our cumulative snapshot back to per-bucket counts, with the +Inf bucket last, as the model wants them. */
    private static HistogramSnapshot histogram(String name, String help, Histogram.Snapshot snapshot) {
        double[] bounds = Arrays.copyOf(snapshot.bounds(), snapshot.bounds().length + 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        long[] cumulative = snapshot.cumulative();
        long[] counts = new long[cumulative.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
        }
        return HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(snapshot.sumSeconds())
                        .build())
                .build();
    }
}
