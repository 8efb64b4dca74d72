package io.taskpulse.bench.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * Write throughput (issue 17): how many status reports TaskPulse sustains, against the floor of the same work done by
 * plain JDBC ({@code bench-baselines.war}'s {@code WritesServlet}, beside taskpulse.war in the same Payara). For each
 * database (PostgreSQL, embedded Derby) one server with both WARs; for each socket count (0, 1,000 open WebSocket
 * clients on TaskPulse's feed, which get every change) three windows from the same {@code --write-connections}
 * keep-alive connections ({@link WriteLoad}), each after an unmeasured warm-up of a quarter of its length:
 * <ol>
 * <li>TaskPulse, single reports: {@code PUT /api/tasks/by-name/{name}/status}, each connection its own tasks
 * (no two connections write one row), status alternating so that every report is a change;</li>
 * <li>the floor: the same requests to {@code PUT /bench-baselines/writes/tasks/{name}/status};</li>
 * <li>TaskPulse, bulk: {@code POST /api/reports?create=true} with {@code --write-batch} items, each connection its own
 * tasks ({@code bulk-CC-NNNN}, created by the warm-up's first batch).</li>
 * </ol>
 * Statements are counted as elsewhere in the harness: on PostgreSQL's wire ({@link StatementCounter}; the floor's
 * pool goes through it too), on Derby from the statement logs ({@link DerbyLog}: TaskPulse's engine's and the floor's,
 * each its own file), from the window's start until the server has published the window's last change; per report (per item
 * for bulk), TaskPulse's idle poller included. CPU: the server's from /proc, the driver's own process CPU time.
 * With {@code --pin}, the 0-socket windows of TaskPulse and the floor are run again with the server on core 1 and this
 * JVM on core 0 ({@code taskset -a -p}: every thread now and every thread they start).
 */
final class WriteThroughput {

    /** One measured window. */
    static final class Row {
        String database;
        int sockets;
        String writer;
        /** "taskpulse", "floor" or "bulk" */
        String kind;
        boolean pinned;
        int itemsPerRequest = 1;
        double requestsPerSecond;
        double itemsPerSecond;
        Histogram latencyMicros;
        long errors;
        String firstError;
        double statementsPerItem = Double.NaN;
        double serverCores;
        double driverCores;
        /** of the driver's CPU: the load threads' own */
        double loadCores;
        double socketMessagesPerSecond;
    }

    /** Where the current server's statements are counted. */
    private interface Statements {
        long count() throws Exception;
    }

    /**
     * Every core, taken before any pinning: a pinned JVM's availableProcessors() says 1, and a server started by a
     * pinned driver thread inherits its core (the first version unpinned to "0-0" and ran every later window on one core).
     */
    static final String ALL_CORES = "0-" + (Runtime.getRuntime().availableProcessors() - 1);

    private final Options options;
    private final HttpClient http;
    private final List<String> problems;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    WriteThroughput(Options options, HttpClient http, List<String> problems) {
        this.options = options;
        this.http = http;
        this.problems = problems;
    }

    List<Row> runAll() throws Exception {
        for (String database : options.writeDbs) {
            if (database.equals("postgresql")) {
                postgresql();
            } else {
                derby();
            }
        }
        return rows;
    }

    private void postgresql() throws Exception {
        java.net.URI db = java.net.URI.create(options.dbUrl.substring("jdbc:".length()));
        try (StatementCounter counter = new StatementCounter(db.getHost(), db.getPort() < 0 ? 5432 : db.getPort());
             Database database = new Database(options.dbUrl, options.dbUser, counter)) {
            database.reset();
            List<String> settings = new ArrayList<>(List.of(
                    "-Dtaskpulse.db.url=" + counter.route(options.dbUrl), "-Dtaskpulse.db.user=" + options.dbUser));
            settings.addAll(profiling("postgresql"));
            try (Server server = Server.start(options.payara, options.taskpulseWar, options.baselinesWar, options.target,
                    options.serverXmx, http, settings)) {
                server.awaitReady();
                Bench.log("writes: Payara Micro on %s ready, pid %d", database.version(), server.pid());
                await("TaskPulse's tables", 60, () -> unchecked(database::hasTaskTable));
                database.fillTo(options.tasks);
                cells("PostgreSQL", server, () -> counter.counts().statements(),
                        () -> unchecked(() -> server.metrics().getOrDefault("taskpulse_revision", -1.0) >= database.stampedUpTo()));
            }
        }
    }

    private void derby() throws Exception {
        Path home = options.target.resolve("derby-writes");
        Bench.deleteTree(home);
        List<String> settings = new ArrayList<>(DerbyLog.settings(home));
        settings.addAll(profiling("derby"));
        try (Server server = Server.start(options.payara, options.taskpulseWar, options.baselinesWar, options.target,
                options.serverXmx, http, settings)) {
            server.awaitReady();
            Bench.log("writes: Payara Micro on embedded Derby ready, pid %d", server.pid());
            for (int i = 0; i < options.tasks; i++) {
                send(server, "POST", "/api/tasks", "{\"name\":\"" + Writer.taskName(i) + "\"}", 201);
            }
            // each WAR's engine logs to a file of its own (WritesDataSource): TaskPulse's, and the floor's once it boots
            DerbyLog log = new DerbyLog(home.resolve("derby.log"));
            DerbyLog floorLog = new DerbyLog(home.resolve("derby-floor.log"));
            // Derby has no notifications: TaskPulse reads its own writes' changes at once, others at its next poll;
            // two polls after the window, everything is published
            cells("Derby", server, () -> log.counters().statements() + floorLog.counters().statements(), null);
        }
        notes.add("On Derby the floor has an embedded database of its own (`bench-floor`, beside TaskPulse's in the same "
                + "`derby.system.home` and JVM, opened by the baselines WAR's own Derby engine, which logs its statements "
                + "to `derby-floor.log`): TaskPulse's embedded database can be opened by one engine only. Derby's log "
                + "has no line for a commit, so its statements per report are one fewer than PostgreSQL's BEGIN … COMMIT "
                + "count on the wire. TaskPulse runs a write the database rolls back for a lock again (up to 6 times); "
                + "the floor does not, and answers 503.");
    }

    /** The windows at each socket count on one server. {@code published} null: wait for two polls instead. */
    private void cells(String database, Server server, Statements statements, BooleanSupplier published) throws Exception {
        send(server, "POST", "/bench-baselines/writes/setup?tasks=" + options.tasks, "", 200);
        int perConnection = options.tasks / options.writeConnections;
        if (perConnection < 1) {
            throw new IllegalArgumentException("--tasks must be at least --write-connections");
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.http("/").getPort());
        int port = address.getPort();
        WriteLoad.Requests single = numbered((c, s) -> report(port, "/api/tasks/by-name/", c, s, perConnection));
        WriteLoad.Requests floor = numbered((c, s) -> report(port, "/bench-baselines/writes/tasks/", c, s, perConnection));
        WriteLoad.Requests bulk = numbered((c, s) -> Http1.request("POST", "/api/reports?create=true", port, batch(c, s)));
        // a cold server's first windows would measure its JIT; the bulk tasks are created here (each connection's
        // first batch), not in a measured window
        for (WriteLoad.Requests requests : List.of(single, floor, bulk)) {
            WriteLoad.Window warm = WriteLoad.run(address, options.writeConnections, warmUpSeconds(), 1, requests);
            if (warm.errors > 0) {
                problems.add("writes, " + database + ", first warm-up: " + warm.errors + " errors, the first: " + warm.firstError);
            }
        }
        for (int sockets : options.writeSockets) {
            Receiver.Stats stats = new Receiver.Stats();
            SocketFleet fleet = sockets == 0 ? null : SocketFleet.open(server.ws("/ws/tasks"), sockets, stats,
                    client -> (message, bytes) -> stats.messages.increment());
            try {
                if (fleet != null) {
                    await(sockets + " snapshots", 120, () -> stats.messages.sum() >= sockets);
                }
                Quiet quiet = new Quiet(server, published);
                rows.add(window(database, sockets, "TaskPulse, single reports", "taskpulse", 1, single, server, address, statements, quiet, stats, false));
                rows.add(window(database, sockets, "floor: plain JDBC, one transaction", "floor", 1, floor, server, address, statements, quiet, stats, false));
                rows.add(window(database, sockets, "TaskPulse, bulk (" + options.writeBatch + " per request)", "bulk",
                        options.writeBatch, bulk, server, address, statements, quiet, stats, false));
                if (options.pin && sockets == 0) {
                    pin(server.pid(), "1");
                    pin(ProcessHandle.current().pid(), "0");
                    try {
                        rows.add(window(database, sockets, "TaskPulse, single reports", "taskpulse", 1, single, server, address, statements, quiet, stats, true));
                        rows.add(window(database, sockets, "floor: plain JDBC, one transaction", "floor", 1, floor, server, address, statements, quiet, stats, true));
                    } finally {
                        pin(server.pid(), ALL_CORES);
                        pin(ProcessHandle.current().pid(), ALL_CORES);
                    }
                }
                if (stats.errors.sum() > 0 || stats.closes.sum() > 0) {
                    problems.add("writes, " + database + ", " + sockets + " sockets: " + stats.errors.sum() + " socket errors ("
                            + stats.firstError.get() + "), " + stats.closes.sum() + " closed by the server (" + stats.firstClose.get() + ")");
                }
            } finally {
                if (fleet != null) {
                    fleet.close();
                }
            }
        }
    }

    private Row window(String database, int sockets, String writer, String kind, int items, WriteLoad.Requests requests,
                       Server server, InetSocketAddress address, Statements statements, Quiet quiet, Receiver.Stats stats,
                       boolean pinned) throws Exception {
        Row row = new Row();
        row.database = database;
        row.sockets = sockets;
        row.writer = writer;
        row.kind = kind;
        row.itemsPerRequest = items;
        row.pinned = pinned;
        WriteLoad.Window warm = WriteLoad.run(address, options.writeConnections, warmUpSeconds(), 1, requests);
        if (warm.errors > 0) {
            problems.add("writes, " + database + ", " + sockets + " sockets, " + writer + (pinned ? " (pinned)" : "")
                    + ", warm-up: " + warm.errors + " errors, the first: " + warm.firstError);
        }
        quiet.await();
        long statements0 = statements.count();
        long server0 = server.cpuTicks();
        long driver0 = driverCpuNanos();
        long messages0 = stats.messages.sum();
        WriteLoad.Window window = WriteLoad.run(address, options.writeConnections, options.writeSeconds, 0, requests);
        row.serverCores = (server.cpuTicks() - server0) / 100.0 / window.seconds;
        row.driverCores = (driverCpuNanos() - driver0) / 1e9 / window.seconds;
        row.loadCores = window.loadCpuNanos / 1e9 / window.seconds;
        row.socketMessagesPerSecond = (stats.messages.sum() - messages0) / window.seconds;
        quiet.await();
        long done = window.answered * items;
        row.statementsPerItem = done == 0 ? Double.NaN : (double) (statements.count() - statements0) / done;
        row.requestsPerSecond = window.answered / window.seconds;
        row.itemsPerSecond = done / window.seconds;
        row.latencyMicros = window.latencyMicros;
        row.errors = window.errors;
        row.firstError = window.firstError;
        Bench.log("writes, %s, %d sockets, %s%s: %.0f requests/s, %.0f items/s, p50 %s ms, p99 %s ms, %d errors, "
                        + "%.1f statements/item, server %.2f cores, driver %.2f cores (load threads %.2f)", database, sockets, writer,
                pinned ? " (pinned)" : "", row.requestsPerSecond, row.itemsPerSecond, Result.ms(row.latencyMicros, 50),
                Result.ms(row.latencyMicros, 99), row.errors, row.statementsPerItem, row.serverCores, row.driverCores, row.loadCores);
        if (window.errors > 0) {
            problems.add("writes, " + database + ", " + sockets + " sockets, " + writer + (pinned ? " (pinned)" : "") + ": "
                    + window.errors + " of " + (window.answered + window.errors) + " requests failed, the first: " + window.firstError);
        }
        if (window.answered == 0) {
            problems.add("writes, " + database + ", " + sockets + " sockets, " + writer + ": no request succeeded");
        }
        return row;
    }

    private double warmUpSeconds() {
        return Math.max(1, options.writeSeconds / 4.0);
    }

    /**
     * The same requests numbered per connection across windows (a connection's sequence goes on where its last
     * window stopped), so that a window's first report of a task changes its status too. Each counter is used by one
     * connection's thread at a time, windows one after the other.
     */
    private WriteLoad.Requests numbered(WriteLoad.Requests requests) {
        long[] next = new long[options.writeConnections];
        return (connection, ignored) -> requests.request(connection, next[connection]++);
    }

    /** Connection c's s-th single report: its own tasks in turn, the status alternating per round. */
    private static byte[] report(int port, String prefix, int connection, long sequence, int perConnection) {
        long round = sequence / perConnection;
        int task = connection * perConnection + (int) (sequence % perConnection);
        String status = round % 2 == 0 ? "FAILED" : "SUCCEEDED";
        return Http1.request("PUT", prefix + Writer.taskName(task) + "/status", port,
                "{\"status\":\"" + status + "\",\"message\":\"write " + connection + "/" + sequence + "\"}");
    }

    /** Connection c's s-th batch: every one of its own bulk tasks once, all with one status. */
    private String batch(int connection, long sequence) {
        String status = sequence % 2 == 0 ? "FAILED" : "SUCCEEDED";
        StringBuilder json = new StringBuilder(options.writeBatch * 80).append('[');
        for (int i = 0; i < options.writeBatch; i++) {
            json.append(i == 0 ? "" : ",").append(String.format("{\"name\":\"bulk-%02d-%04d\"", connection, i))
                    .append(",\"status\":\"").append(status).append("\",\"message\":\"batch ").append(sequence).append("\"}");
        }
        return json.append(']').toString();
    }

    /** Until the server has published every change written so far. */
    private static final class Quiet {
        private final Server server;
        private final BooleanSupplier published;

        Quiet(Server server, BooleanSupplier published) {
            this.server = server;
            this.published = published;
        }

        void await() {
            if (published != null) {
                WriteThroughput.await("the writes published", 60, published);
            } else {
                double polls = polls();
                WriteThroughput.await("two polls", 60, () -> polls() >= polls + 2);
            }
        }

        private double polls() {
            return server.metrics().getOrDefault("taskpulse_poll_duration_seconds_count", 0.0);
        }
    }

    /** All threads of a process, now and those they start, to these cores. */
    private static void pin(long pid, String cores) throws IOException, InterruptedException {
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cores, String.valueOf(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset -a -p -c " + cores + " " + pid + " failed");
        }
    }

    private static long driverCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private void send(Server server, String method, String path, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.http(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private List<String> profiling(String name) {
        return Bench.profiling(options, "server-writes-" + name + ".jfr");
    }

    private static void await(String what, int seconds, BooleanSupplier condition) {
        if (!Bench.poll(seconds, condition)) {
            throw new IllegalStateException("waited " + seconds + " s for " + what);
        }
    }

    private static boolean unchecked(Bench.ThrowingBoolean supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            return false;
        }
    }


    /** The section of the report. */
    String markdown() {
        StringBuilder md = new StringBuilder("\n## Write throughput (issue 17)\n\n");
        md.append(options.writeConnections).append(" keep-alive HTTP/1.1 connections from the driver, each sending its next "
                + "request as soon as the last is answered, for ").append(options.writeSeconds)
                .append(" s per window after an unmeasured warm-up of a quarter of that; ").append(options.tasks)
                .append(" tasks, each connection writing its own ").append(options.tasks / options.writeConnections)
                .append(" in turn, the status alternating so that every report is a change. The sockets are WebSocket "
                        + "clients on TaskPulse's feed (`/ws/tasks`) in the driver's JVM, getting every change. The floor "
                        + "(`bench-baselines.war`, `WritesServlet`) does by plain JDBC, in one transaction, what a report "
                        + "changes: UPDATE the task row (status, message, change time, last run, revision NULL), INSERT its "
                        + "history row, INSERT its ended run, on tables shaped like TaskPulse's (schema `bench_floor`, same "
                        + "columns and indexes, no triggers), with a pool of TaskPulse's size and settings (2–32, checked "
                        + "with `isValid` at each checkout). Statements are counted from the window's start until the "
                        + "server has published its last change (PostgreSQL: on the wire; Derby: its statement log), "
                        + "TaskPulse's idle poller included. Driver CPU: the driver JVM's own process CPU time (load, "
                        + "sockets, and on PostgreSQL the statement counter, which relays every byte between server and "
                        + "database), and of it the load's own threads; the server's from /proc.\n\n");
        notes.forEach(note -> md.append(note).append("\n\n"));
        md.append("| database | sockets | writer | requests/s | reports/s | p50 / p99 per request (ms) | errors | "
                + "statements / report | server CPU (cores) | driver CPU (cores; of which the load's threads) | socket messages/s |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append("| ").append(r.database).append(" | ").append(r.sockets).append(" | ").append(r.writer)
                    .append(r.pinned ? " (pinned: server core 1, driver core 0)" : "")
                    .append(" | ").append(String.format("%.0f", r.requestsPerSecond))
                    .append(" | ").append(String.format("%.0f", r.itemsPerSecond))
                    .append(" | ").append(Result.ms(r.latencyMicros, 50)).append(" / ").append(Result.ms(r.latencyMicros, 99))
                    .append(" | ").append(r.errors)
                    .append(" | ").append(String.format("%.2f", r.statementsPerItem))
                    .append(" | ").append(String.format("%.2f", r.serverCores))
                    .append(" | ").append(String.format("%.2f (%.2f)", r.driverCores, r.loadCores))
                    .append(" | ").append(String.format("%.0f", r.socketMessagesPerSecond)).append(" |\n");
        }
        md.append("\n| database | sockets | TaskPulse ÷ floor, reports/s (target ≥ 0.5×) | bulk ÷ single reports, reports/s "
                + "(target ≥ 10×) |\n|---|---:|---:|---:|\n");
        for (Row r : rows) {
            if (!r.kind.equals("taskpulse")) {
                continue;
            }
            Row floor = find(r, "floor");
            Row bulk = find(r, "bulk");
            md.append("| ").append(r.database).append(r.pinned ? " (pinned)" : "").append(" | ").append(r.sockets)
                    .append(" | ").append(floor == null ? "–" : ratio(r.itemsPerSecond, floor.itemsPerSecond, 0.5))
                    .append(" | ").append(bulk == null ? "–" : ratio(bulk.itemsPerSecond, r.itemsPerSecond, 10))
                    .append(" |\n");
        }
        return md.toString();
    }

    private Row find(Row like, String kind) {
        return rows.stream().filter(r -> r.kind.equals(kind) && r.database.equals(like.database)
                && r.sockets == like.sockets && r.pinned == like.pinned).findFirst().orElse(null);
    }

    private static String ratio(double a, double b, double target) {
        double ratio = a / b;
        return String.format("%.2f× (%s)", ratio, ratio >= target ? "met" : "missed");
    }
}
