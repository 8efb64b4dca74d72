package io.taskpulse.bench.driver;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Source tables (issue 16): push latency from an ORM's commit to the clients. For each database (PostgreSQL, MariaDB)
 * the phase empties the benchmark database, creates the tutorial's Django table {@code web_webtask} with
 * {@value #ROWS} rows, starts TaskPulse alone (taskpulse.war, no baselines) on that database with the table configured
 * as source {@code webtask}, opens N WebSocket clients, then commits single-row UPDATEs at a steady rate from the driver
 * over plain JDBC, autocommit: what Django's {@code save()} sends (all non-key columns, {@code webtask_stu} and
 * {@code webtask_msg} changed, the name as it was). The time is taken right after the commit returns; the message is
 * {@code srcbench:<row id>:<sequence>}, and a client records when the change carrying it arrives, checking that the task
 * it came in has that row's {@code sourceKey}. Latency = arrival − commit, over every client and every write; a write
 * counts as delivered when all N clients got it.
 */
final class SourceLatency {

    static final String TOKEN = "srcbench:";
    /** Warm-up writes carry this instead: not measured. */
    private static final String WARM = "srcwarm:";
    static final int ROWS = 100;
    /** taskpulse.poll.interval of the phase's server: TaskPulse's default, set explicitly so that the report can say it. */
    static final String POLL_INTERVAL = "PT1S";
    private static final int WARM_UP_WRITES = 10;

    /** What one database's round measured. */
    static final class Run {
        final String database;
        String version = "?";
        int clients;
        int connected;
        double rate;
        int writes;
        int writeFailures;
        int deliveredToAll;
        long deliveries;
        long expectedDeliveries;
        long duplicates;
        long keyMismatches;
        /** arrivals stamped before the driver's commit returned (counted as 0 ms) */
        long early;
        long errors;
        String firstError;
        /** clients the server closed (close frame received) before the end of the round */
        long serverCloses;
        String firstClose;
        String firstLost;
        String load;
        Instant started;
        final Histogram latency = new Histogram(3_600_000_000L, 3);

        Run(String database) {
            this.database = database;
        }

        String label() {
            return database.equals("mariadb") ? "MariaDB" : "PostgreSQL";
        }
    }

    private final Options options;
    private final HttpClient http;
    private final List<String> problems;

    SourceLatency(Options options, HttpClient http, List<String> problems) {
        this.options = options;
        this.http = http;
        this.problems = problems;
    }

    List<Run> runAll() throws Exception {
        List<Run> runs = new ArrayList<>();
        for (String database : options.sourceDbs) {
            runs.add(run(database, options.sourceClients));
        }
        return runs;
    }

    private Run run(String database, int clients) throws Exception {
        Run run = new Run(database);
        run.clients = clients;
        run.rate = options.sourceRate;
        run.started = Instant.now();
        String url;
        String user;
        List<String> settings = new ArrayList<>();
        switch (database) {
            case "postgresql" -> {
                url = options.dbUrl;
                user = options.dbUser;
                try (Connection connection = DriverManager.getConnection(url, user, null);
                     Statement statement = connection.createStatement()) {
                    // as the other phases: an empty schema, TaskPulse creates its tables at start-up
                    statement.execute("DROP SCHEMA public CASCADE");
                    statement.execute("CREATE SCHEMA public");
                    statement.execute("CREATE TABLE web_webtask (id serial PRIMARY KEY, webtask_name varchar(100) NOT NULL, "
                            + "webtask_stu integer NOT NULL, webtask_msg varchar(200) NOT NULL)");
                    run.version = version(connection);
                }
            }
            case "mariadb" -> {
                url = options.mariadbUrl;
                user = options.mariadbUser;
                String withoutQuery = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
                int slash = withoutQuery.lastIndexOf('/');
                String name = withoutQuery.substring(slash + 1);
                if (name.isEmpty() || !name.matches("[A-Za-z0-9_]+")) {
                    throw new IllegalArgumentException("--mariadb-url must name a database (letters, digits, _): " + url);
                }
                try (Connection connection = DriverManager.getConnection(withoutQuery.substring(0, slash + 1), user, null);
                     Statement statement = connection.createStatement()) {
                    statement.execute("DROP DATABASE IF EXISTS " + name);
                    statement.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
                }
                try (Connection connection = DriverManager.getConnection(url, user, null);
                     Statement statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE web_webtask (id int AUTO_INCREMENT PRIMARY KEY, webtask_name varchar(100) NOT NULL, "
                            + "webtask_stu int NOT NULL, webtask_msg varchar(200) NOT NULL) ENGINE=InnoDB");
                    run.version = version(connection);
                }
            }
            default -> throw new IllegalArgumentException("--source-dbs: postgresql or mariadb, not " + database);
        }
        List<Integer> keys = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, user, null)) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO web_webtask (webtask_name, webtask_stu, webtask_msg) VALUES (?, 1, 'created')")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setString(1, name(i));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT id FROM web_webtask ORDER BY id")) {
                while (rows.next()) {
                    keys.add(rows.getInt(1));
                }
            }
        }
        settings.addAll(List.of("-Dtaskpulse.db.url=" + url, "-Dtaskpulse.db.user=" + user,
                "-Dtaskpulse.poll.interval=" + POLL_INTERVAL,
                "-Dtaskpulse.sources=webtask",
                "-Dtaskpulse.source.webtask.table=web_webtask",
                "-Dtaskpulse.source.webtask.name=webtask_name",
                "-Dtaskpulse.source.webtask.status=webtask_stu",
                "-Dtaskpulse.source.webtask.message=webtask_msg",
                "-Dtaskpulse.source.webtask.map=1=NOT_RUN,2=SUCCEEDED,3=FAILED"));
        Bench.log("source table on %s (%s): starting TaskPulse, %d rows", run.label(), run.version, ROWS);
        try (Server server = Server.start(options.payara, options.taskpulseWar, null, options.target, options.serverXmx,
                http, settings)) {
            server.awaitReady();
            Bench.log("Payara Micro on %s ready, pid %d", run.label(), server.pid());
            String sources = await("source webtask installed", 120, () -> {
                String body = get(server, "/api/sources");
                if (body.contains("\"FAILED\"")) {
                    throw new IllegalStateException("source webtask not installed on " + run.label() + ": " + body);
                }
                return body.contains("\"INSTALLED\"") ? body : null;
            });
            Bench.log("source: %s", sources);
            await("the " + ROWS + " rows in the feed", 60, () -> count(get(server, "/api/feed"), "\"sourceKey\"") >= ROWS ? "" : null);
            measure(run, server, url, user, keys);
        }
        report(run);
        return run;
    }

    private void measure(Run run, Server server, String url, String user, List<Integer> keys) throws Exception {
        int writes = (int) Math.round(options.sourceRate * options.phaseSeconds);
        Receiver.Stats stats = new Receiver.Stats();
        List<Client> clients = new ArrayList<>();
        Bench.log("source %s: opening %d sockets", run.label(), run.clients);
        try (Connection connection = DriverManager.getConnection(url, user, null);
             PreparedStatement update = connection.prepareStatement(
                     // Django's save() of a loaded row: every non-key column, by primary key, autocommit
                     "UPDATE web_webtask SET webtask_name = ?, webtask_stu = ?, webtask_msg = ? WHERE id = ?");
             SocketFleet fleet = SocketFleet.open(server.ws("/ws/tasks"), run.clients, stats, i -> {
                 Client client = new Client(writes, stats);
                 synchronized (clients) {
                     clients.add(client);
                 }
                 return client;
             })) {
            connection.setAutoCommit(true);
            run.connected = fleet.size();
            if (!Bench.poll(60, () -> stats.initialized.sum() >= run.clients)) {
                problems.add(String.format("source %s: %d of %d snapshots in after 60 s; %d client errors (the first: %s)",
                        run.label(), stats.initialized.sum(), run.clients, stats.errors.sum(), stats.firstError.get()));
            }
            run.load = Bench.load();
            long period = Math.round(1e9 / options.sourceRate);
            // warm-up: the same writes, not measured
            steady(WARM_UP_WRITES, period, k -> write(update, keys, k, WARM));
            Bench.pause(2);
            long[] commits = new long[writes];
            steady(writes, period, k -> {
                commits[k] = write(update, keys, k, TOKEN) ? Clock.micros() : -1;
            });
            run.writes = writes;
            // drain: until every client has every committed write, or two poll intervals and 10 s more
            Bench.poll(12, () -> {
                for (int k = 0; k < writes; k++) {
                    if (commits[k] > 0) {
                        for (Client client : clients) {
                            if (client.arrivals.get(k) == 0) {
                                return false;
                            }
                        }
                    }
                }
                return true;
            });
            for (int k = 0; k < writes; k++) {
                if (commits[k] < 0) {
                    run.writeFailures++;
                    continue;
                }
                int got = 0;
                for (Client client : clients) {
                    long arrival = client.arrivals.get(k);
                    if (arrival == 0) {
                        continue;
                    }
                    got++;
                    long latency = arrival - commits[k];
                    if (latency < 0) {
                        run.early++;
                        latency = 0;
                    }
                    run.latency.recordValue(Math.min(latency, 3_600_000_000L));
                }
                run.deliveries += got;
                run.expectedDeliveries += run.connected;
                if (got >= run.connected) {
                    run.deliveredToAll++;
                } else if (run.firstLost == null) {
                    run.firstLost = "write #" + k + " (row id " + keys.get(k % keys.size()) + ", committed "
                            + Instant.ofEpochSecond(0, commits[k] * 1000) + ") reached " + got + " of " + run.connected
                            + " clients";
                }
            }
            for (Client client : clients) {
                run.duplicates += client.duplicates.sum();
                run.keyMismatches += client.mismatches.sum();
            }
            run.errors = stats.errors.sum();
            run.firstError = stats.firstError.get();
            run.serverCloses = stats.closes.sum();
            run.firstClose = stats.firstClose.get();
            if (run.firstError == null) {
                run.firstError = clients.stream().map(c -> c.firstMismatch.get()).filter(m -> m != null).findFirst().orElse(null);
            }
        }
    }

    /** One ORM save: true when its commit returned. */
    private boolean write(PreparedStatement update, List<Integer> keys, int k, String token) {
        int row = k % keys.size();
        int key = keys.get(row);
        try {
            update.setString(1, name(row));
            update.setInt(2, k % 3 + 1);
            update.setString(3, token + key + ":" + k);
            update.setInt(4, key);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            Bench.log("source write #%d failed: %s", k, e);
            return false;
        }
    }

    /** {@code count} calls, the k-th at k × period from now (a late one does not shift the ones after it). */
    private static void steady(int count, long periodNanos, java.util.function.IntConsumer call) {
        long t0 = System.nanoTime();
        for (int k = 0; k < count; k++) {
            long wait = t0 + k * periodNanos - System.nanoTime();
            if (wait > 0) {
                Bench.pause(wait / 1e9);
            }
            call.accept(k);
        }
    }

    private void report(Run run) {
        Bench.log("source %s, N=%d: %d writes, %d delivered to all %d clients (%d of %d deliveries), p50 %s / p99 %s / max %s ms, "
                        + "%d client errors, %d closed by the server (the first: %s), %d duplicates, %d key mismatches, %d write failures",
                run.label(), run.clients, run.writes,
                run.deliveredToAll, run.connected, run.deliveries, run.expectedDeliveries, Result.ms(run.latency, 50),
                Result.ms(run.latency, 99), Result.ms(run.latency, 100), run.errors, run.serverCloses, run.firstClose,
                run.duplicates, run.keyMismatches,
                run.writeFailures);
        String what = "source table on " + run.label() + " N=" + run.clients;
        if (run.connected < run.clients) {
            problems.add(what + ": only " + run.connected + " of " + run.clients + " clients connected");
        }
        int committed = run.writes - run.writeFailures;
        if (run.deliveredToAll < committed) {
            problems.add(what + ": " + (committed - run.deliveredToAll) + " of " + committed
                    + " committed writes did not reach every client; the first: " + run.firstLost);
        }
        if (run.serverCloses > 0) {
            problems.add(what + ": the server closed " + run.serverCloses + " clients during the round; the first: " + run.firstClose);
        }
        if (run.writeFailures > 0) {
            problems.add(what + ": " + run.writeFailures + " writes failed (see the driver's log)");
        }
        if (run.errors > 0 || run.keyMismatches > 0) {
            problems.add(what + ": " + run.errors + " client errors, " + run.keyMismatches + " changes whose sourceKey did not match "
                    + "the row written; the first: " + run.firstError);
        }
    }

    /** The report's section. */
    static String markdown(List<Run> runs) {
        StringBuilder md = new StringBuilder();
        md.append("\n## Source tables (issue 16): ORM commit → client\n\n")
                .append("TaskPulse alone (taskpulse.war) on each database, the tutorial's Django table `web_webtask` (")
                .append(ROWS).append(" rows) configured as source `webtask` (status map `1=NOT_RUN,2=SUCCEEDED,3=FAILED`), "
                        + "`taskpulse.poll.interval=").append(POLL_INTERVAL).append("`. The driver commits single-row UPDATEs over "
                        + "plain JDBC, autocommit, as Django's `save()` does (`UPDATE web_webtask SET webtask_name = ?, webtask_stu = ?, "
                        + "webtask_msg = ? WHERE id = ?`, a new status and a message carrying a sequence number), each row in turn, "
                        + "after 10 unmeasured warm-up writes; the time is taken when the commit returns. Every client records when the "
                        + "change for that row (its `sourceKey`) with that message arrives. Latency over every client and every "
                        + "write (HdrHistogram); *delivered* = reached all N clients.\n\n")
                .append("| database | date | load before (1/5/15 min) | N connected | writes (rate) | delivered to all N | "
                        + "client deliveries / expected | commit→client p50 / p99 / max (ms) | client errors | closed by the server | duplicates |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            md.append("| ").append(r.label()).append(' ').append(r.version)
                    .append(" | ").append(r.started.truncatedTo(ChronoUnit.SECONDS))
                    .append(" | ").append(r.load)
                    .append(" | ").append(r.connected).append(" of ").append(r.clients)
                    .append(" | ").append(r.writes - r.writeFailures).append(" of ").append(r.writes)
                    .append(String.format(" (%.0f/s)", r.rate))
                    .append(" | ").append(r.deliveredToAll)
                    .append(" | ").append(r.deliveries).append(" / ").append(r.expectedDeliveries)
                    .append(" | ").append(Result.ms(r.latency, 50)).append(" / ").append(Result.ms(r.latency, 99))
                    .append(" / ").append(Result.ms(r.latency, 100))
                    .append(" | ").append(r.errors + r.keyMismatches)
                    .append(" | ").append(r.serverCloses)
                    .append(" | ").append(r.duplicates).append(" |\n");
        }
        md.append("\nOn PostgreSQL the source trigger's write to TaskPulse's `task` row NOTIFYs the server when the ORM's "
                + "transaction commits, so the server reads the change at once (the rest is its stamping poll and the broadcast "
                + "to N); MariaDB has no NOTIFY, so a change waits for the server's next poll: "
                + "its latency spreads evenly over one poll interval (p50 about half of it, max about all of it) plus the "
                + "delivery itself.\n");
        return md.toString();
    }

    private static String name(int row) {
        return String.format("webtask-%03d", row + 1);
    }

    private static String version(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductVersion();
    }

    private String get(Server server, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    interface Probe {
        String get() throws Exception;
    }

    /** The probe's answer once it is not null; fails after {@code seconds}, or at once when the probe throws. */
    private static String await(String what, int seconds, Probe probe) throws Exception {
        Instant deadline = Instant.now().plusSeconds(seconds);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                String answer = probe.get();
                if (answer != null) {
                    return answer;
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            Bench.pause(0.1);
        }
        throw new IllegalStateException("waited " + seconds + " s for " + what + (last == null ? "" : "; last: " + last));
    }

    /**
     * One client: when each measured write's change arrived (epoch µs, 0 while not yet), whether the task it came in
     * was the row written, and duplicates.
     */
    static final class Client implements SocketFleet.Sink {
        private static final String KEY = "\"sourceKey\":\"";
        final AtomicLongArray arrivals;
        final LongAdder duplicates = new LongAdder();
        final LongAdder mismatches = new LongAdder();
        final AtomicReference<String> firstMismatch = new AtomicReference<>();
        private final Receiver.Stats stats;
        private boolean initialized;

        Client(int writes, Receiver.Stats stats) {
            this.arrivals = new AtomicLongArray(writes);
            this.stats = stats;
        }

        @Override
        public void receive(CharSequence message, int utf8Bytes) {
            long now = Clock.micros();
            stats.messages.increment();
            stats.bytes.add(utf8Bytes);
            String text = message.toString();
            for (int at = text.indexOf(TOKEN); at >= 0; at = text.indexOf(TOKEN, at + 1)) {
                int colon = text.indexOf(':', at + TOKEN.length());
                int end = colon + 1;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                if (colon < 0 || end == colon + 1) {
                    continue;
                }
                String key = text.substring(at + TOKEN.length(), colon);
                int k = Integer.parseInt(text, colon + 1, end, 10);
                // the task object's fields come in a fixed order: message, ..., sourceKey; the next task starts with {"id":
                int keyAt = text.indexOf(KEY, end);
                int nextTask = text.indexOf("{\"id\":", end);
                if (keyAt < 0 || (nextTask >= 0 && nextTask < keyAt) || !text.startsWith(key + "\"", keyAt + KEY.length())) {
                    mismatches.increment();
                    firstMismatch.compareAndSet(null, "message " + TOKEN + key + ":" + k + " in a task without sourceKey \""
                            + key + "\": " + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 400)));
                    continue;
                }
                if (k < arrivals.length() && !arrivals.compareAndSet(k, 0, now)) {
                    duplicates.increment();
                }
            }
            if (!initialized && !text.contains(Receiver.MORE)) {
                initialized = true;
                stats.initialized.increment();
            }
        }
    }
}
