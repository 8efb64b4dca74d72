package io.taskpulse.metrics.control;

import io.taskpulse.metrics.entity.Histogram;
import io.taskpulse.metrics.entity.Transport;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What TaskPulse counts about itself, for {@code GET /metrics}. Every recording method is lock-free (a
 * {@link LongAdder} or an atomic), so it may be called once per message on the broadcast path; reading adds
 * the adders up and may be a few increments behind a concurrent writer.
 */
@ApplicationScoped
public class Metrics {

    /** Seconds. A poll is two index look-ups when idle, so most land in the first buckets. */
    static final double[] POLL_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Seconds. Changes by TaskPulse itself are handed over in milliseconds; others within one poll interval. */
    static final double[] LAG_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final LongAdder[] open = adders(Transport.values().length);
    private final LongAdder[] messages = adders(Transport.values().length);
    private final LongAdder[] bytes = adders(Transport.values().length);
    private final LongAdder conflations = new LongAdder();
    private final LongAdder slowCloses = new LongAdder();
    private final LongAdder deadPeerCloses = new LongAdder();
    private final LongAdder queued = new LongAdder();
    private final LongAdder pollFailures = new LongAdder();
    private final LongAdder subscriberFailures = new LongAdder();
    private final LongAdder feedResyncs = new LongAdder();
    private final LongAdder writeRetries = new LongAdder();
    private final LongAdder overdue = new LongAdder();
    private final LongAdder runTimeouts = new LongAdder();
    private final AtomicLong revision = new AtomicLong(-1);
    private final Histogram pollDuration = new Histogram(POLL_BUCKETS);
    private final Histogram changeLag = new Histogram(LAG_BUCKETS);
    /** Seconds, from a transition to its alert's confirmed delivery: retries and Retry-After land in the top buckets. */
    static final double[] ALERT_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600};
    private final LongAdder alertsSent = new LongAdder();
    private final LongAdder alertsFailed = new LongAdder();
    private final AtomicLong alertsPending = new AtomicLong();
    private final Histogram alertLatency = new Histogram(ALERT_BUCKETS);
    /** Keyed by status code only (never path or id), so it stays small whatever clients send. */
    private final ConcurrentMap<Integer, LongAdder> responses = new ConcurrentHashMap<>();

    Clock clock = Clock.systemUTC();

    /** A client started following the feed: a WebSocket session opened, or a long-poll is now held. */
    public void sessionOpened(Transport transport) {
        open[transport.ordinal()].increment();
    }

    /** Exactly once for each {@link #sessionOpened}, however the session ended. */
    public void sessionClosed(Transport transport) {
        open[transport.ordinal()].decrement();
    }

    /** One feed message went to one client ({@code bytes} of UTF-8; see {@link #utf8Length}). */
    public void sent(Transport transport, long bytes) {
        messages[transport.ordinal()].increment();
        this.bytes[transport.ordinal()].add(bytes);
    }

    /** {@code messages} queued for a slow client were dropped: one catch-up replaces them, same end state. */
    public void conflated(long messages) {
        conflations.add(messages);
    }

    /** A client stopped reading: a message to it was stuck for the send timeout (WebSocket close code 4000). */
    public void closedAsTooSlow() {
        slowCloses.increment();
    }

    /** A peer left a ping unanswered (WebSocket close code 4001). */
    public void closedAsDead() {
        deadPeerCloses.increment();
    }

    /** Messages waiting in WebSocket outboxes went up or down by {@code delta}. */
    public void queued(long delta) {
        queued.add(delta);
    }

    /** A poll read the database and handed its batch to the feed; the feed is now at {@code revision}. */
    public void polled(long nanos, long revision) {
        pollDuration.observeNanos(nanos);
        this.revision.set(revision);
    }

    /** A poll failed (it is retried on the next tick). */
    public void pollFailed(long nanos) {
        pollDuration.observeNanos(nanos);
        pollFailures.increment();
    }

    /** One subscriber's sink threw while the feed handed it a message: it was dropped, the others were not. */
    public void subscriberFailed() {
        subscriberFailures.increment();
    }

    /** The feed disagreed with the database (or failed on a batch) and was reloaded from it: clients got a reset. */
    public void feedResynced() {
        feedResyncs.increment();
    }

    /** A write's transaction was rolled back by the database (deadlock, lock timeout) and is being run again. */
    public void writeRetried() {
        writeRetries.increment();
    }

    /** Tasks this server marked overdue (with several servers, each transition is counted by one of them). */
    public void markedOverdue(int tasks) {
        overdue.add(tasks);
    }

    /** A run still open after its task's maxRuntime was failed by this server. */
    public void runTimedOut() {
        runTimeouts.increment();
    }

    /** A receiver confirmed an alert, {@code latency} after its transition. */
    public void alertSent(java.time.Duration latency) {
        alertsSent.increment();
        alertLatency.observeNanos(latency.toNanos());
    }

    /** An alert was given up (a 4xx, or retries ran out). */
    public void alertFailed() {
        alertsFailed.increment();
    }

    /** Alerts waiting in the outbox (all servers), as last counted by this server's delivery round. */
    public void alertsPending(long pending) {
        alertsPending.set(pending);
    }

    public long alertsSent() {
        return alertsSent.sum();
    }

    public long alertsFailed() {
        return alertsFailed.sum();
    }

    public long alertsPending() {
        return alertsPending.get();
    }

    public Histogram.Snapshot alertLatency() {
        return alertLatency.snapshot();
    }

    public long overdueMarked() {
        return overdue.sum();
    }

    public long runTimeouts() {
        return runTimeouts.sum();
    }

    /** A change, made at {@code changedAt} by the database's clock, was just handed to the clients. */
    public void handedOver(Instant changedAt) {
        if (changedAt == null) {
            return;
        }
        Duration lag = Duration.between(changedAt, clock.instant());
        // A database on another machine may run ahead of this one: clamp rather than overflow or go negative.
        changeLag.observeNanos(lag.isNegative() ? 0 : lag.getSeconds() >= 9_000_000_000L ? Long.MAX_VALUE : lag.toNanos());
    }

    /** An API request ended with this HTTP status. */
    public void responded(int status) {
        responses.computeIfAbsent(status, code -> new LongAdder()).increment();
    }

    public long sessionsOpen(Transport transport) {
        return open[transport.ordinal()].sum();
    }

    public long messagesSent(Transport transport) {
        return messages[transport.ordinal()].sum();
    }

    public long bytesSent(Transport transport) {
        return bytes[transport.ordinal()].sum();
    }

    public long conflations() {
        return conflations.sum();
    }

    public long deadPeerCloses() {
        return deadPeerCloses.sum();
    }

    public long queuedMessages() {
        return queued.sum();
    }

    public long slowCloses() {
        return slowCloses.sum();
    }

    public long pollFailures() {
        return pollFailures.sum();
    }

    public long subscriberFailures() {
        return subscriberFailures.sum();
    }

    public long feedResyncs() {
        return feedResyncs.sum();
    }

    public long writeRetries() {
        return writeRetries.sum();
    }

    /** The feed's revision after the last successful poll; -1 before the first. */
    public long revision() {
        return revision.get();
    }

    public Histogram.Snapshot pollDuration() {
        return pollDuration.snapshot();
    }

    public Histogram.Snapshot changeLag() {
        return changeLag.snapshot();
    }

    /** Responses by status code, in code order. */
    public SortedMap<Integer, Long> responsesByCode() {
        SortedMap<Integer, Long> byCode = new TreeMap<>();
        for (Map.Entry<Integer, LongAdder> entry : responses.entrySet()) {
            byCode.put(entry.getKey(), entry.getValue().sum());
        }
        return byCode;
    }

    /** The UTF-8 size of a message without encoding it: a counter per send must not allocate a copy. */
    public static long utf8Length(CharSequence text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length++; // unpaired: the encoder writes '?'
            } else {
                length += 3;
            }
        }
        return length;
    }

    private static LongAdder[] adders(int count) {
        LongAdder[] adders = new LongAdder[count];
        Arrays.setAll(adders, i -> new LongAdder());
        return adders;
    }
}
