/**
 * Owns {@code GET /metrics}: what TaskPulse counts about itself, in the Prometheus text format 0.0.4 or, when the
 * scraper asks for it, OpenMetrics. The Prometheus Java client's snapshot model and text writers spell the formats
 * (docs/libraries.md says why); its metric types and registry are not used: recording stays on our own adders, read
 * into snapshots at scrape time. Open to every client, like {@code /health}: it shows
 * counts and durations only, never a task, a name or a path; restrict it at the proxy if even that is too much.
 * <p>
 * Guarantees: recording is lock-free ({@link java.util.concurrent.atomic.LongAdder}s and atomics), so the
 * broadcast path may count every message without waiting on a scrape or on each other; labels are bounded
 * (transport, status code, histogram bucket), never an id or a path; a histogram's buckets are cumulative and
 * its +Inf bucket equals its count in every scrape. Counters start at zero when the server starts.
 * <p>
 * Other features call {@link io.taskpulse.metrics.control.Metrics}; this package depends on none of them
 * (except the shared problem writer), so any boundary can report to it.
 */
package io.taskpulse.metrics;
