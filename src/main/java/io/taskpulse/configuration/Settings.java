package io.taskpulse.configuration;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TaskPulse's settings. Each is a system property ({@code -Dtaskpulse.poll.interval=PT0.5S}) or the
 * matching environment variable ({@code TASKPULSE_POLL_INTERVAL=PT0.5S}); the property wins. Plain Jakarta EE
 * has no configuration API, so this small class is the one place that reads them.
 */
@ApplicationScoped
public class Settings {

    private static final Logger LOG = Logger.getLogger(Settings.class.getName());

    /** How often the poller looks for changes made outside TaskPulse. Own writes wake it at once. */
    public Duration pollInterval() {
        return duration("taskpulse.poll.interval", Duration.ofSeconds(1), Duration.ofMillis(10));
    }

    /**
     * On PostgreSQL, while this server is notified of every commit (LISTEN, see changes.control.ChangeNotifications),
     * the poller reads the database on a tick only this often if nothing was notified: a safety net, and what an
     * idle server costs the database. Heartbeats still go out every poll interval. Never less than the poll interval.
     */
    public Duration pollListeningInterval() {
        Duration listening = duration("taskpulse.poll.listening-interval", Duration.ofSeconds(10), Duration.ofMillis(10));
        return listening.compareTo(pollInterval()) < 0 ? pollInterval() : listening;
    }

    /**
     * The longest wait between the poller's attempts while the database fails: it backs off from one poll
     * interval, doubling, up to this. Never less than the poll interval.
     */
    public Duration pollBackoffMax() {
        return duration("taskpulse.poll.backoff.max", Duration.ofSeconds(30), Duration.ofMillis(10));
    }

    /** How long a deleted task's tombstone is kept; a client further behind than that gets a fresh snapshot. */
    public Duration tombstoneRetention() {
        return duration("taskpulse.tombstone.retention", Duration.ofDays(7), Duration.ZERO);
    }

    /** How long a task's status history is kept. */
    public Duration historyRetention() {
        return duration("taskpulse.history.retention", Duration.ofDays(30), Duration.ofMinutes(1));
    }

    /** Messages queued for one WebSocket client; beyond it the client is conflated (see feed.boundary.SessionOutbox). */
    public int outboxLimit() {
        return integer("taskpulse.outbox.limit", 64, 1);
    }

    /** How long one message may take to reach a WebSocket client before it is closed as too slow (4000). */
    public Duration sendTimeout() {
        return duration("taskpulse.websocket.send-timeout", Duration.ofSeconds(30), Duration.ofMillis(100));
    }

    /**
     * How often an idle WebSocket is pinged; a peer that leaves a ping unanswered this long is closed (4001). So a dead
     * peer (half-open, hung mid-frame) holds its socket and memory at most two intervals: 20 s by default, not minutes.
     */
    public Duration pingInterval() {
        return duration("taskpulse.websocket.ping", Duration.ofSeconds(10), Duration.ofMillis(100));
    }

    /** Open WebSockets one remote address may hold; more are closed at once with 1008. */
    /** How much of a run's output is kept, in UTF-8 bytes: the last ones (default 64 KiB, at most 1 MiB). */
    public int runOutputLimit() {
        return Math.min(integer("taskpulse.run.output-limit", 64 * 1024, 1024), 1024 * 1024);
    }

    public int socketsPerAddress() {
        return integer("taskpulse.websocket.per-address", 100, 1);
    }

    /** The bearer token every write must carry; without one, only loopback clients may write. */
    public Optional<String> writeToken() {
        return raw("taskpulse.write.token");
    }

    /**
     * The role a user must have to read (the page, the API's GETs, the feed, the WebSocket); none means anyone may
     * read. Users and their groups come from the server's realm (see io.taskpulse.access).
     */
    public Optional<String> readRole() {
        return raw("taskpulse.read.role");
    }

    /**
     * The role of operators: users who may, logged in on the page, acknowledge a failed or overdue task and pause a
     * schedule (callers with the write token may anyway). None: only token (or local) callers may.
     */
    public Optional<String> operateRole() {
        return raw("taskpulse.operate.role");
    }

    /** Extra origins (comma-separated, e.g. https://board.example) whose pages may open the WebSocket. */
    public String websocketOrigins() {
        return raw("taskpulse.websocket.origins").orElse("");
    }

    /**
     * Whether the configured database ({@code taskpulse.db.url}) is PostgreSQL, the only one that notifies of changes
     * (LISTEN): on embedded Derby and MariaDB the poller finds them by polling alone.
     */
    public boolean onPostgresql() {
        return TaskPulseDataSource.postgresql(databaseUrl());
    }

    /** Whether the configured database is MariaDB, where a few locks are taken differently (see tasks.control.TaskRuns). */
    public boolean onMariaDb() {
        return TaskPulseDataSource.mariadb(databaseUrl());
    }

    /** Whether the configured database is embedded Derby (neither PostgreSQL nor MariaDB). */
    public boolean onDerby() {
        return !onPostgresql() && !onMariaDb();
    }

    /** Seed demo tasks and change their statuses every few seconds. Only the README's run command sets it. */
    public boolean demo() {
        return raw("taskpulse.demo").map(Boolean::parseBoolean).orElse(false);
    }

    /**
     * Where alert webhooks (and SMTP servers) may be: comma-separated host names ({@code hooks.example.com},
     * {@code *.example.com}), addresses or networks ({@code 10.1.2.3}, {@code 10.0.0.0/8}, {@code fd00::/8}), and the
     * word {@code public} for any address that is not private, loopback, link-local or otherwise internal. Default
     * {@code public}: internal addresses are refused unless the operator lists them (see io.taskpulse.alerts).
     */
    public String alertsAllowHosts() {
        return raw("taskpulse.alerts.allow-hosts").orElse("public");
    }

    /** How often each server looks for alerts due (its own transitions wake it at once). */
    public Duration alertsInterval() {
        return duration("taskpulse.alerts.interval", Duration.ofSeconds(1), Duration.ofMillis(50));
    }

    /** The first retry's delay; each later one doubles, up to {@link #alertsRetryMax()}, with jitter. */
    public Duration alertsRetryInitial() {
        return duration("taskpulse.alerts.retry.initial", Duration.ofSeconds(10), Duration.ofMillis(10));
    }

    public Duration alertsRetryMax() {
        return duration("taskpulse.alerts.retry.max", Duration.ofMinutes(10), Duration.ofMillis(10));
    }

    /** How long after the transition delivery keeps trying before it marks the alert failed. */
    public Duration alertsGiveUpAfter() {
        return duration("taskpulse.alerts.retry.give-up-after", Duration.ofHours(24), Duration.ofSeconds(1));
    }

    /** How long a claimed alert is reserved for the server that claimed it; after that any server may send it again. */
    public Duration alertsLease() {
        return duration("taskpulse.alerts.lease", Duration.ofSeconds(60), Duration.ofSeconds(1));
    }

    public Duration alertsConnectTimeout() {
        return duration("taskpulse.alerts.connect-timeout", Duration.ofSeconds(5), Duration.ofMillis(100));
    }

    public Duration alertsReadTimeout() {
        return duration("taskpulse.alerts.read-timeout", Duration.ofSeconds(10), Duration.ofMillis(100));
    }

    /** Damping: transitions of one task alerted one by one within {@link #alertsDampingWindow()}. */
    public int alertsDampingLimit() {
        return integer("taskpulse.alerts.damping.limit", 5, 1);
    }

    public Duration alertsDampingWindow() {
        return duration("taskpulse.alerts.damping.window", Duration.ofMinutes(10), Duration.ofSeconds(1));
    }

    /**
     * Any setting by name, for settings whose names are not fixed: a source table's ({@code taskpulse.source.NAME.table},
     * see io.taskpulse.sources).
     */
    public static Optional<String> setting(String key) {
        return raw(key);
    }

    /** The configured JDBC URL ({@code taskpulse.db.url}), embedded Derby by default; static for what runs before CDI. */
    static String databaseUrl() {
        return raw("taskpulse.db.url").orElse(TaskPulseDataSource.DEFAULT_URL);
    }

    static Optional<String> raw(String key) {
        String value = System.getProperty(key);
        if (value == null) {
            value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Duration duration(String key, Duration fallback, Duration minimum) {
        return raw(key).map(value -> {
            try {
                Duration parsed = Duration.parse(value);
                return parsed.compareTo(minimum) < 0 ? minimum : parsed;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Ignoring {0}={1}: not an ISO-8601 duration such as PT1S", new Object[]{key, value});
                return fallback;
            }
        }).orElse(fallback);
    }

    private static int integer(String key, int fallback, int minimum) {
        return raw(key).map(value -> {
            try {
                return Math.max(minimum, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                LOG.log(Level.WARNING, "Ignoring {0}={1}: not a whole number", new Object[]{key, value});
                return fallback;
            }
        }).orElse(fallback);
    }
}
