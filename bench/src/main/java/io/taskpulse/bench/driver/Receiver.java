package io.taskpulse.bench.driver;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What every client does with what it receives, whatever the design: count the message and its bytes, then
 * find the stamps the writer put into task messages ({@code bench:<hot task>:<epoch µs before the write>}).
 * A stamp newer than the last one this client saw for that task is a change arriving: its latency is
 * now minus the stamp. The first message of a client (a snapshot, all its parts, or the first full list) only
 * sets what it has seen, so old stamps are never counted as late arrivals.
 */
final class Receiver implements SocketFleet.Sink {

    static final String TOKEN = "bench:";
    /** In every part of a TaskPulse message but the last; unescaped, so never inside a task's text. */
    static final String MORE = ",\"more\":true,";

    /** Shared by all clients of one phase. */
    static final class Stats {
        final Histogram all = new ConcurrentHistogram(3_600_000_000L, 3);
        final Histogram api = new ConcurrentHistogram(3_600_000_000L, 3);
        final Histogram sql = new ConcurrentHistogram(3_600_000_000L, 3);
        final LongAdder messages = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder errors = new LongAdder();
        /** the first error's description, for the report */
        final AtomicReference<String> firstError = new AtomicReference<>();
        /** clients that have their first message (snapshot or first list); never reset */
        final LongAdder initialized = new LongAdder();
        volatile Probe probe;

        /** close frames from the server (not counted as errors here; the source-table phase reports them) */
        final LongAdder closes = new LongAdder();
        final AtomicReference<String> firstClose = new AtomicReference<>();

        void closed(int code, String reason) {
            closes.increment();
            firstClose.compareAndSet(null, code + " " + reason + " at " + java.time.Instant.now());
        }

        void error(String description) {
            errors.increment();
            firstError.compareAndSet(null, description);
        }

        void reset() {
            all.reset();
            api.reset();
            sql.reset();
            messages.reset();
            bytes.reset();
        }
    }

    /** One change (or one floor broadcast) followed to every client: when did the last one get it? */
    static final class Probe {
        final long stamp;
        final int clients;
        final LongAdder arrived = new LongAdder();
        final AtomicLong lastArrival = new AtomicLong();
        final AtomicLong firstArrival = new AtomicLong(Long.MAX_VALUE);

        Probe(long stamp, int clients) {
            this.stamp = stamp;
            this.clients = clients;
        }

        void arrive(long micros) {
            arrived.increment();
            lastArrival.accumulateAndGet(micros, Math::max);
            firstArrival.accumulateAndGet(micros, Math::min);
        }

        boolean complete() {
            return arrived.sum() >= clients;
        }
    }

    private final Stats stats;
    private final long[] lastSeen;
    private boolean initialized;

    Receiver(Stats stats, int hotTasks) {
        this.stats = stats;
        this.lastSeen = new long[hotTasks];
    }

    /** Called by one client at a time (its messages arrive in order). */
    @Override
    public void receive(CharSequence message, int utf8Bytes) {
        long now = Clock.micros();
        stats.messages.increment();
        stats.bytes.add(utf8Bytes);
        String text = message.toString();
        Probe probe = stats.probe;
        for (int at = text.indexOf(TOKEN); at >= 0; at = text.indexOf(TOKEN, at + 1)) {
            int colon = text.indexOf(':', at + TOKEN.length());
            int end = colon + 1;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            if (colon < 0 || end == colon + 1) {
                continue;
            }
            int task = Integer.parseInt(text, at + TOKEN.length(), colon, 10);
            long stamp = Long.parseLong(text, colon + 1, end, 10);
            if (probe != null && stamp == probe.stamp) {
                probe.arrive(now);
            }
            if (task < 0 || task >= lastSeen.length || stamp <= lastSeen[task]) {
                continue;
            }
            lastSeen[task] = stamp;
            if (initialized) {
                long latency = Math.max(0, now - stamp);
                stats.all.recordValue(Math.min(latency, 3_600_000_000L));
                (task % 2 == 0 ? stats.api : stats.sql).recordValue(Math.min(latency, 3_600_000_000L));
            }
        }
        // A long first message (TaskPulse's snapshot) comes in parts: the client has it once the last one is in.
        if (!initialized && !text.contains(MORE)) {
            initialized = true;
            stats.initialized.increment();
        }
    }
}
