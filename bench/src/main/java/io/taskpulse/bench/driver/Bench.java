package io.taskpulse.bench.driver;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The benchmark driver (issue 6): starts Payara Micro with taskpulse.war and bench-baselines.war on PostgreSQL,
 * then runs the same N clients and the same steady stream of changes against each design in turn:
 * TaskPulse's WebSocket feed, the tutorial's AJAX polling (a), its per-connection query loop (b), and the bare
 * broadcast (c). Prints a markdown table and writes it to docs/benchmarks.md (the smoke run: target/).
 * Options: see {@link Options}.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        int failures = new Bench(options).run();
        System.exit(failures == 0 ? 0 : 1);
    }

    private final Options options;
    /**
     * HTTP/1.1, as the tutorial's browsers poll and as scripts report: the JDK client otherwise tries an h2c upgrade,
     * and at 10,000 pollers Payara's HTTP/2 answered GOAWAY (3,853 failed polls in one run).
     */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "client-io");
                thread.setDaemon(true);
                return thread;
            }))
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final List<String> problems = new ArrayList<>();
    /** The rate sweep's bursts, in the order they ran. */
    private final List<SweepPoint> sweep = new ArrayList<>();
    /** the machine's load average before each phase: the box is shared, this says how much */
    private final List<String> loads = new ArrayList<>();
    private Server server;
    private StatementCounter counter;
    private Database database;
    /** the number of clients of the current round */
    private int n;
    /** PostgreSQL's calibration, for the report */
    private double idleRate;
    private double perWrite;
    private double derbyIdleRate = Double.NaN;
    private double derbyPerWrite = Double.NaN;
    /** where the current server's database queries are counted */
    private Queries queries;
    private Writer writer;

    private Bench(Options options) {
        this.options = options;
    }

    private int run() throws Exception {
        if ("source".equals(options.only)) {
            return sourcesOnly();
        }
        if ("writes".equals(options.only)) {
            return writesOnly();
        }
        Instant started = Instant.now();
        String load = load();
        log("N=%s, %d s per phase, %.1f changes/s, %d tasks (%d hot); load before: %s", options.clients,
                options.phaseSeconds, options.rate, options.tasks, options.hot, load);
        java.net.URI db = java.net.URI.create(options.dbUrl.substring("jdbc:".length()));
        counter = new StatementCounter(db.getHost(), db.getPort() < 0 ? 5432 : db.getPort());
        database = new Database(options.dbUrl, options.dbUser, counter);
        queries = database::counters;
        database.reset();
        // the server reaches the database through the counter; the driver's own SQL (the scripts' writes) does not
        List<String> serverSettings = new ArrayList<>(List.of(
                "-Dtaskpulse.db.url=" + counter.route(options.dbUrl), "-Dtaskpulse.db.user=" + options.dbUser));
        serverSettings.addAll(profiling("postgresql"));
        server = Server.start(options.payara, options.taskpulseWar, options.baselinesWar, options.target,
                options.serverXmx, http, serverSettings);
        try {
            server.awaitReady();
            log("Payara Micro ready, pid %d", server.pid());
            await("TaskPulse's tables", 60, () -> unchecked(database::hasTaskTable));
            database.fillTo(options.tasks);
            awaitPolls(2);
            writer = new Writer(server, database, http, options.hot);

            // the database's work without clients: TaskPulse's poller alone, then the writes on top of it
            settle("calibration");
            double idleRate = rate(() -> database.sampleStatements(options.calibrationSeconds,
                    options.target.resolve("idle-statements.txt")));
            long writes0 = writer.writes();
            long calibrating = System.nanoTime();
            double writeRate = rate(() -> writer.start(Writer.Mode.API_AND_SQL, options.rate)) - idleRate;
            double writesPerMinute = (writer.writes() - writes0) * 60e9 / (System.nanoTime() - calibrating);
            writer.stop();
            // what one write costs the database (its own transaction, TaskPulse publishing it, history rows),
            // so that each phase is charged for the writes it actually made
            double perWrite = writeRate / writesPerMinute;
            log("database: %.0f queries/min idle (TaskPulse's poller), +%.1f per write", idleRate, perWrite);
            this.idleRate = idleRate;
            this.perWrite = perWrite;

            List<Result> results = new ArrayList<>();
            for (int clients : options.clients) {
                n = clients;
                for (String design : options.designs) {
                    results.add(design(design, idleRate, perWrite));
                }
            }
            boolean sweepOnly = "sweep".equals(options.only);
            List<Fallback.Run> fallback = !sweepOnly && Fallback.available() ? fallback() : List.of();
            if (!sweepOnly && !Fallback.available()) {
                problems.add("wrk not installed (apt-get install wrk): the polling fallback was not measured");
            }
            Map<Integer, double[]> pollTimes = pollTimes();
            List<Overdue> overdue = overdueChecks();
            if (options.derby) {
                derby(results);
            }
            // the write phase and the source tables start servers of their own, on a database emptied again
            writer.close();
            server.close();
            WriteThroughput writes = new WriteThroughput(options, http, problems);
            if (!options.writeDbs.isEmpty()) {
                loads.add("writes " + load());
                writes.runAll();
            }
            List<SourceLatency.Run> sources = List.of();
            if (!options.sourceDbs.isEmpty()) {
                sources = new SourceLatency(options, http, problems).runAll();
            }
            String report = Report.markdown(options, results, fallback, pollTimes, overdue, idleRate, perWrite,
                    new double[]{derbyIdleRate, derbyPerWrite}, started, String.join("; ", loads),
                    database.version(), problems, sources, options.writeDbs.isEmpty() ? "" : writes.markdown())
                    + Report.sweep(options, sweep);
            System.out.println(report);
            Files.createDirectories(options.out.getParent());
            Files.writeString(options.out, report);
            log("written to %s", options.out);
        } finally {
            if (writer != null) {
                writer.close();
            }
            server.close();
            database.close();
            counter.close();
        }
        problems.forEach(problem -> log("PROBLEM: %s", problem));
        return problems.size();
    }

    /** --only source: the source-table phase alone, reported in a file of its own (see {@link Options}). */
    private int sourcesOnly() throws Exception {
        log("source tables only: %s, N=%d, %.1f commits/s for %d s; load before: %s", options.sourceDbs,
                options.sourceClients, options.sourceRate, options.phaseSeconds, load());
        List<SourceLatency.Run> runs = new SourceLatency(options, http, problems).runAll();
        StringBuilder report = new StringBuilder("# Benchmarks: source tables only (`--only source`)\n\n");
        if (!options.note.isBlank()) {
            report.append("> **").append(options.note).append("**\n\n");
        }
        report.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores; JDK ")
                .append(System.getProperty("java.runtime.version")).append("; Payara Micro `-Xmx").append(options.serverXmx)
                .append("`.\n");
        report.append(SourceLatency.markdown(runs));
        return finish(report);
    }

    /** --only writes: the write-throughput phase alone, reported in a file of its own (see {@link Options}). */
    private int writesOnly() throws Exception {
        String loadBefore = load();
        int cores = Runtime.getRuntime().availableProcessors();
        log("write throughput only: %s, %s sockets, %d connections, %d s per window, bulk %d per request; load before: %s",
                options.writeDbs, options.writeSockets, options.writeConnections, options.writeSeconds, options.writeBatch, loadBefore);
        WriteThroughput writes = new WriteThroughput(options, http, problems);
        writes.runAll();
        StringBuilder report = new StringBuilder("# Benchmarks: write throughput only (`--only writes`)\n\n");
        if (!options.note.isBlank()) {
            report.append("> **").append(options.note).append("**\n\n");
        }
        report.append("Machine: ").append(cores).append(" cores; JDK ")
                .append(System.getProperty("java.runtime.version")).append("; Payara Micro `-Xmx").append(options.serverXmx)
                .append("`; WAR ").append(options.taskpulseWar).append("; load average before: ").append(loadBefore).append(".\n");
        report.append(writes.markdown());
        return finish(report);
    }

    /**
     * The Derby variant: the same server with TaskPulse alone on embedded Derby (the README's default), the same
     * N, changes through the API only (no other process can open an embedded database). Statements are counted
     * from Derby's statement log ({@link DerbyLog}).
     */
    private void derby(List<Result> results) throws Exception {
        writer.close();
        server.close();
        Path home = options.target.resolve("derby-bench");
        deleteTree(home);
        List<String> derbySettings = new ArrayList<>(DerbyLog.settings(home));
        derbySettings.addAll(profiling("derby"));
        server = Server.start(options.payara, options.taskpulseWar, null, options.target, options.serverXmx, http,
                derbySettings);
        server.awaitReady();
        log("Payara Micro on embedded Derby ready, pid %d", server.pid());
        queries = new DerbyLog(home.resolve("derby.log"));
        for (int i = 0; i < options.tasks; i++) {
            HttpRequest create = HttpRequest.newBuilder(server.http("/api/tasks"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + Writer.taskName(i) + "\"}")).build();
            int status = http.send(create, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 201) {
                throw new IllegalStateException("creating " + Writer.taskName(i) + " on Derby answered " + status);
            }
        }
        awaitPolls(2);
        writer = new Writer(server, null, http, options.hot);
        settle("derby calibration");
        double idle = rate(() -> { });
        long writes0 = writer.writes();
        long calibrating = System.nanoTime();
        double writing = rate(() -> writer.start(Writer.Mode.API_ONLY, options.rate)) - idle;
        double writesPerMinute = (writer.writes() - writes0) * 60e9 / (System.nanoTime() - calibrating);
        writer.stop();
        derbyIdleRate = idle;
        derbyPerWrite = writing / writesPerMinute;
        log("Derby: %.0f statements/min idle (TaskPulse's poller), +%.1f per write", derbyIdleRate, derbyPerWrite);
        for (int clients : options.clients) {
            n = clients;
            results.add(design("taskpulse-derby", derbyIdleRate, derbyPerWrite));
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Where a server's database queries are counted: PostgreSQL's wire, or Derby's statement log. */
    interface Queries {
        Database.Counters counters() throws Exception;
    }

    /** With --jfr: the server records a Java Flight Recording (profile settings) of the whole run. */
    private List<String> profiling(String name) {
        return profiling(options, "server-" + name + ".jfr");
    }

    /**
     * The server's JVM options that record it with JFR to {@code file} in bench/target, none without --jfr. Stacks are
     * kept 512 frames deep: a request on Payara is more than JFR's default 64 frames below TaskPulse's resource, and a
     * cut stack cannot say which endpoint (or the poller) spent a sample.
     */
    static List<String> profiling(Options options, String file) {
        if (!options.jfr) {
            return List.of();
        }
        Path recording = options.target.resolve(file);
        log("recording the server with JFR to %s", recording);
        return List.of("-XX:FlightRecorderOptions=stackdepth=512",
                "-XX:StartFlightRecording=settings=profile,filename=" + recording + ",dumponexit=true");
    }

    /** One design's round at the current N. */
    private Result design(String design, double idleRate, double perWrite) throws Exception {
        settle(design + " N=" + n);
        Result result = switch (design) {
            case "taskpulse" -> sockets(new Result(design, "TaskPulse (WebSocket feed)"), "/ws/tasks", Writer.Mode.API_AND_SQL, 3, 2);
            case "taskpulse-derby" -> sockets(new Result(design, "TaskPulse on embedded Derby (API writes only)"),
                    "/ws/tasks", Writer.Mode.API_ONLY, 3, 2);
            case "ajax" -> polling(new Result(design, "(a) tutorial AJAX, full list every 5 s"));
            case "loop" -> sockets(new Result(design, "(b) tutorial per-connection loop, full list every 5 s"),
                    "/bench-baselines/loop", Writer.Mode.API_AND_SQL, 6, 6);
            case "floor" -> sockets(new Result(design, "(c) floor: bare broadcast of one frame"),
                    "/bench-baselines/floor", Writer.Mode.FLOOR, 2, 1);
            default -> throw new IllegalArgumentException("unknown design " + design);
        };
        // The cost of delivering the changes to N clients: the phase's queries minus what its writes cost (each
        // write's own statements and TaskPulse publishing it, measured without clients) and minus TaskPulse's idle
        // poller; for TaskPulse that poller IS its delivery, so it is added back, with whatever the N clients added
        // (0 when the phase's noise makes that negative). Beside the baselines the poller runs too, and is not theirs.
        double added = result.queriesPerMinute - perWrite * result.writesPerMinute - idleRate;
        result.deliveryQueriesPerMinute = design.startsWith("taskpulse") ? idleRate + Math.max(0, added) : added;
        return result;
    }

    /**
     * The polling fallback under wrk, no changes: TaskPulse's 304 path ({@code ?since=} the current revision) and
     * full-snapshot path (no {@code since}), and the tutorial's full-list servlet beside them, with the database
     * queries each made while wrk ran.
     */
    private List<Fallback.Run> fallback() throws Exception {
        settle("fallback");
        long revision = (long) (double) server.metrics().getOrDefault("taskpulse_revision", 0.0);
        List<Fallback.Run> runs = new ArrayList<>();
        runs.add(fallbackRun("TaskPulse /api/feed?since=current (304)", "/api/feed?since=" + revision));
        runs.add(fallbackRun("TaskPulse /api/feed (full snapshot)", "/api/feed"));
        runs.add(fallbackRun("(a) tutorial full list /bench-baselines/tasks", "/bench-baselines/tasks"));
        return runs;
    }

    private Fallback.Run fallbackRun(String label, String path) throws Exception {
        Database.Counters before = queries.counters();
        long t0 = System.nanoTime();
        Fallback.Run run = Fallback.wrk(label, server.http(path), options.wrkConnections, options.wrkSeconds);
        double minutes = (System.nanoTime() - t0) / 60e9;
        run.queriesPerMinute = queries.counters().minus(before).queries() / minutes;
        log("wrk %s: %.0f req/s, p50 %s, p99 %s, %d non-2xx/3xx, %.0f db queries/min", label, run.requestsPerSecond,
                run.p50, run.p99, run.errors, run.queriesPerMinute);
        if (run.errors > 0) {
            problems.add("wrk " + label + ": " + run.errors + " responses not 2xx/3xx");
        }
        return run;
    }

    /**
     * Waits (at most a minute) until the driver has file descriptors for {@code sockets} more: the design before may
     * still hold thousands of HTTP connections (the tutorial's pollers, answered late by an overloaded server) that the
     * JDK client closes once idle for a few seconds (bench/pom.xml). Without it the full run of 2026-12-07 19:51 died
     * opening the tutorial loop's 10,000 sockets right after 10,000 pollers.
     */
    private void awaitDescriptors(int sockets) throws IOException, InterruptedException {
        String soft = Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
                .map(l -> l.substring("Max open files".length()).trim().split("\\s+")[0]).findFirst().orElse("unlimited");
        long limit = soft.chars().allMatch(Character::isDigit) ? Long.parseLong(soft) : Long.MAX_VALUE / 2;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        long open;
        while ((open = openDescriptors()) + sockets + 500 > limit && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        if (open + sockets + 500 > limit) {
            log("%d file descriptors open of %d: %d sockets may not all open", open, limit, sockets);
        }
    }

    /** Open descriptors; listing them takes one, so with none left it counts as full. */
    private static long openDescriptors() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** One WebSocket design: N/2 sockets, then N (heap, RSS, idle bytes), then churn, then fan-out probes. */
    private Result sockets(Result result, String path, Writer.Mode mode, int idleSeconds, double drainSeconds) throws Exception {
        log("%s: opening %d sockets", result.design, n);
        Receiver.Stats stats = new Receiver.Stats();
        // Heap and RSS per socket are the slope between N/2 and N open sockets, so that one-time costs (the
        // endpoint's first use, buffer pools) are not charged to the sockets.
        int half = n / 2;
        awaitDescriptors(n);
        long opening = System.nanoTime();
        try (SocketFleet first = SocketFleet.open(server.ws(path), half, stats, options.hot)) {
            if (result.design.startsWith("taskpulse")) {
                awaitSnapshots(result, stats, half);
            }
            server.gc();
            double heapHalf = heap();
            long rssHalf = server.rssBytes();
            server.classHistogram(options.target.resolve("heap-" + result.design + "-half.txt"), 40);
            try (SocketFleet second = SocketFleet.open(server.ws(path), n - half, stats, options.hot)) {
                measureOpen(result, stats, mode, idleSeconds, drainSeconds, first.size() + second.size(), opening,
                        heapHalf, rssHalf, n - half);
                if (result.design.equals("taskpulse") || result.design.equals("floor")) {
                    sweep(result, stats, mode, drainSeconds);
                }
            }
        }
        check(result);
        return result;
    }

    /**
     * Until {@code count} clients have their snapshot; after 60 s the round goes on and the run fails, saying which
     * clients lack theirs and whether the server closed any.
     */
    private void awaitSnapshots(Result result, Receiver.Stats stats, int count) {
        if (!poll(60, () -> stats.initialized.sum() >= count)) {
            Map<String, Double> metrics = server.metrics();
            problems.add(String.format("%s N=%d: %d of %d snapshots in after 60 s; %d client errors (the first: %s); "
                            + "server closed %.0f slow and %.0f dead clients; %.0f sockets open by its count, %.0f messages queued", result.design, n,
                    stats.initialized.sum(), count, stats.errors.sum(), stats.firstError.get(),
                    metrics.getOrDefault("taskpulse_slow_closes_total", Double.NaN),
                    metrics.getOrDefault("taskpulse_dead_peer_closes_total", Double.NaN),
                    metrics.getOrDefault("taskpulse_sessions_open", Double.NaN),
                    metrics.getOrDefault("taskpulse_outbox_queued_messages", Double.NaN)));
            log("PROBLEM: %s", problems.get(problems.size() - 1));
        }
    }

    /** With all N open: idle bytes, heap and RSS per socket, then churn and the fan-out probes. */
    private void measureOpen(Result result, Receiver.Stats stats, Writer.Mode mode, int idleSeconds, double drainSeconds,
                             int open, long opening, double heapHalf, long rssHalf, int added) throws Exception {
        result.clients = open;
        result.connectSeconds = (System.nanoTime() - opening) / 1e9;
        if (result.design.startsWith("taskpulse")) {
            // every client's snapshot in, so that idle bytes are heartbeats only
            awaitSnapshots(result, stats, n);
        }
        stats.reset();
        pause(idleSeconds);
        result.bytesPerClientMinuteIdle = stats.bytes.sum() * 60.0 / idleSeconds / n;
        server.gc();
        result.heapPerSocketBytes = (heap() - heapHalf) / added;
        result.rssPerSocketBytes = (double) (server.rssBytes() - rssHalf) / added;
        churn(result, stats, mode, drainSeconds);
        if (mode == Writer.Mode.FLOOR || result.design.startsWith("taskpulse")) {
            probes(result, stats, mode);
        }
        // after the measurements: it walks the whole heap, which would disturb the churn window
        server.classHistogram(options.target.resolve("heap-" + result.design + ".txt"), 40);
        result.errors = stats.errors.sum();
        result.firstError = stats.firstError.get();
    }

    /** Baseline (a): N pollers, one GET of the full list each every 5 s. */
    private Result polling(Result result) throws Exception {
        log("%s: starting %d pollers", result.design, n);
        Receiver.Stats stats = new Receiver.Stats();
        result.clients = n;
        result.heapPerSocketBytes = Double.NaN;
        result.rssPerSocketBytes = Double.NaN;
        try (Pollers pollers = new Pollers(http, server.http("/bench-baselines/tasks"), n, 5000, stats, options.hot)) {
            pause(6);
            result.bytesPerClientMinuteIdle = stats.bytes.sum() * 60.0 / 6 / n;
            churn(result, stats, Writer.Mode.API_AND_SQL, 6);
            result.errors = stats.errors.sum();
            result.firstError = stats.firstError.get();
        }
        check(result);
        return result;
    }

    private void churn(Result result, Receiver.Stats stats, Writer.Mode mode, double drainSeconds) throws Exception {
        stats.reset();
        Database.Counters db0 = queries.counters();
        long writes0 = writer.writes();
        long cpu0 = server.cpuTicks();
        long t0 = System.nanoTime();
        writer.start(mode, options.rate);
        pause(options.phaseSeconds);
        writer.stop();
        Database.Counters db = queries.counters().minus(db0);
        double writing = (System.nanoTime() - t0) / 1e9;
        result.writesPerMinute = mode == Writer.Mode.FLOOR ? 0 : (writer.writes() - writes0) * 60 / writing;
        result.serverCores = (server.cpuTicks() - cpu0) / 100.0 / writing;
        pause(drainSeconds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        result.queriesPerMinute = db.queries() * 60.0 / writing;
        result.pingsPerMinute = db.pings() * 60.0 / writing;
        result.rowsReturnedPerMinute = db.rowsReturned() * 60.0 / writing;
        result.messagesPerSecond = stats.messages.sum() / seconds;
        result.bytesPerClientMinuteChurn = stats.bytes.sum() * 60.0 / seconds / Math.max(1, result.clients);
        result.latency = stats.all.copy();
        result.apiLatency = stats.api.copy();
        result.sqlLatency = stats.sql.copy();
        log("%s: %d changes seen by clients, p50 %s ms, p99 %s ms, %.0f msg/s, %.0f db queries/min", result.design,
                result.latency.getTotalCount(), Result.ms(result.latency, 50), Result.ms(result.latency, 99),
                result.messagesPerSecond, result.queriesPerMinute);
    }

    /**
     * The rate sweep (issue 17): with the N sockets still open, a burst at each of --rates, latency from each write to
     * each client, and the heap after a full GC before and after the burst and its drain. The writer is one thread
     * (a task's changes in commit order; above 100/s in batches, see {@link Writer#BATCH_ABOVE}); when the writes take
     * longer than their period, it goes as fast as it can, and the achieved rate says so.
     */
    private void sweep(Result result, Receiver.Stats stats, Writer.Mode mode, double drainSeconds) {
        long failuresBefore = writer.failures.sum();
        for (double rate : options.sweepRates) {
            // Live objects after a full GC, by class (bench/target/heap-sweep-*.txt), before and after. The heap in use,
            // read from /metrics a moment after a GC, also held what 10,000 sockets' traffic had allocated since: at
            // 10,000 it came out 35-42 MiB above before while the histograms' top classes differed by 0.1-1.4 MiB.
            String histogram = "heap-sweep-" + result.design + "-" + result.clients + "-" + Math.round(rate) + "-";
            double heapBefore = server.classHistogram(options.target.resolve(histogram + "before.txt"), 40);
            stats.reset();
            LongSupplier writes = mode == Writer.Mode.FLOOR ? writer.floorWrites::sum : writer::writes;
            long written0 = writes.getAsLong();
            long failures0 = writer.failures.sum();
            long errors0 = stats.errors.sum();
            long t0 = System.nanoTime();
            writer.start(mode, rate);
            pause(options.sweepSeconds);
            writer.stop();
            double writing = (System.nanoTime() - t0) / 1e9;
            long written = writes.getAsLong() - written0;
            pause(drainSeconds);
            long drained = awaitQuiet(stats, 30);
            double heapAfter = server.classHistogram(options.target.resolve(histogram + "after.txt"), 40);
            SweepPoint point = new SweepPoint(result.design, result.clients, rate, written / writing,
                    stats.all.copy(), heapBefore, heapAfter,
                    writer.failures.sum() - failures0, stats.errors.sum() - errors0);
            sweep.add(point);
            log("%s: sweep at %.0f/s asked, %.1f/s written, %d deliveries, p50 %s ms, p99 %s ms, heap %.1f → %.1f MiB"
                            + " (no change arriving %d ms after the drain)",
                    result.design, rate, point.achievedPerSecond(), point.latency().getTotalCount(),
                    Result.ms(point.latency(), 50), Result.ms(point.latency(), 99), heapBefore / 1048576,
                    point.heapAfter() / 1048576, drained);
        }
        if (mode == Writer.Mode.FLOOR) {
            // Asked for more broadcasts than it can send, the floor's requests time out: that is its overload, counted
            // in the sweep's table, not a fault of the run. TaskPulse's failed writes stay problems.
            writer.failures.reset();
            writer.failures.add(failuresBefore);
        }
    }

    /**
     * Until no client has received a change for a second (at most {@code seconds}; heartbeats, about one a second, do
     * not count): the burst's fan-out is over, so the
     * heap measured next is what the burst left behind, not what is still on its way (at 10,000 clients and 1,000
     * changes/s a fixed 2 s drain left tens of thousands of sends in the container's queues: heap 1.11× before).
     *
     * @return milliseconds waited, the quiet second included
     */
    private static long awaitQuiet(Receiver.Stats stats, int seconds) {
        long started = System.nanoTime();
        long[] last = {stats.all.getTotalCount(), System.nanoTime()};
        boolean quiet = poll(seconds, () -> {
            long now = stats.all.getTotalCount();
            if (now != last[0]) {
                last[0] = now;
                last[1] = System.nanoTime();
            }
            return System.nanoTime() - last[1] >= 1_000_000_000L;
        });
        if (!quiet) {
            log("changes still arriving %d s after the drain: the heap after this burst includes them", seconds);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Single changes followed to every client: the time until the last of N has it. */
    private void probes(Result result, Receiver.Stats stats, Writer.Mode mode) {
        double[] fanouts = new double[options.probes];
        double[] spreads = new double[options.probes];
        int done = 0;
        for (int i = 0; i < options.probes; i++) {
            long stamp = Clock.micros();
            Receiver.Probe probe = new Receiver.Probe(stamp, result.clients);
            stats.probe = probe;
            if (mode == Writer.Mode.FLOOR) {
                postFloor(stamp);
            } else {
                writer.writeApiStamped(0, stamp);
            }
            boolean complete = poll(10, probe::complete);
            if (complete) {
                spreads[done] = (probe.lastArrival.get() - probe.firstArrival.get()) / 1000.0;
                fanouts[done++] = (probe.lastArrival.get() - stamp) / 1000.0;
            } else {
                problems.add(result.design + ": a probe reached only " + probe.arrived.sum() + " of " + result.clients + " clients in 10 s");
            }
        }
        stats.probe = null;
        if (done > 0) {
            double[] measured = Arrays.copyOf(fanouts, done);
            Arrays.sort(measured);
            result.fanoutMillis = measured[done / 2];
            result.fanoutMaxMillis = measured[done - 1];
            result.fanoutProbes = done;
            double[] measuredSpreads = Arrays.copyOf(spreads, done);
            Arrays.sort(measuredSpreads);
            result.spreadMillis = measuredSpreads[done / 2];
            log("%s: fan-out to %d clients, median %.1f ms (first to last client %.1f ms) of %d probes", result.design,
                    result.clients, result.fanoutMillis, result.spreadMillis, done);
        }
    }

    private void postFloor(long stamp) {
        writer.floorStamped(stamp);
    }

    /** Poll query time as the table grows, with few changes (1 per second by SQL), from GET /metrics. */
    private Map<Integer, double[]> pollTimes() throws Exception {
        Map<Integer, double[]> times = new LinkedHashMap<>();
        for (int size : options.sizes) {
            database.fillTo(size);
            awaitPolls(3); // the inserted rows stamped and published
            // as autovacuum would within a minute: plans for the table's new size, not for the old one
            database.analyze();
            Map<String, Double> before = server.metrics();
            writer.start(Writer.Mode.SQL_ONLY, 1);
            pause(options.pollSeconds);
            writer.stop();
            Map<String, Double> after = server.metrics();
            String name = "taskpulse_poll_duration_seconds";
            double count = after.get(name + "_count") - before.get(name + "_count");
            double sum = after.get(name + "_sum") - before.get(name + "_sum");
            times.put(size, new double[]{count, sum / count * 1000, quantileUpperBound(before, after, name, 0.99) * 1000});
            log("poll at %d tasks: %.0f polls, mean %.2f ms", size, count, sum / count * 1000);
        }
        return times;
    }

    /** Grace of the overdue phase's schedules ('PT1H', 5 min grace): due = expected + grace, as TaskPulse computes it. */
    private static final int OVERDUE_GRACE_SECONDS = 300;

    /**
     * The overdue check (issue 14) costs what is due, not what exists: for each round, the first {@code tasks} tasks
     * get a schedule by SQL (the columns {@code Task.schedule} sets, nothing due for half an hour), then
     * {@code perTick} of them become overdue in each second of a window of {@code --overdue-seconds}. Measured over
     * the window from GET /metrics (a tick before it marks some too, unmeasured: the round's first marking): poll time, polls, and the overdue transitions the server made, which must equal
     * what was due (else the run fails); and the statements the server sent PostgreSQL, from the wire.
     */
    private List<Overdue> overdueChecks() throws Exception {
        List<Overdue> rounds = new ArrayList<>();
        if (options.overdue.isEmpty()) {
            return rounds;
        }
        database.fillTo(options.overdue.stream().mapToInt(Overdue.Plan::tasks).max().getAsInt());
        for (Overdue.Plan plan : options.overdue) {
            settle("overdue " + plan.tasks() + ":" + plan.perTick());
            Overdue round = new Overdue(plan);
            round.tableRows = database.count();
            rounds.add(round);
            // every schedule set (the rows changed: stamped and published by the poller), and planned as autovacuum would
            database.schedule(plan.tasks(), OVERDUE_GRACE_SECONDS);
            awaitPublished("the schedules of " + plan.tasks() + " tasks");
            database.analyze();
            int dueRows = plan.perTick() * options.overdueSeconds;
            // Long enough for this UPDATE's rows to be stamped and published before the window: their poll (one, of
            // up to 20,000 rows) is not the check's.
            Instant from = Instant.now().plusMillis(2000 + dueRows / 2);
            double marked0 = overdueMarked();
            int made = database.due(plan.tasks(), plan.perTick(), options.overdueSeconds, from, OVERDUE_GRACE_SECONDS);
            if (made != dueRows + plan.perTick()) {
                problems.add("overdue check, " + plan + ": " + made + " tasks made due, not " + (dueRows + plan.perTick()));
                continue;
            }
            awaitPublished("the " + made + " tasks made due");
            database.analyze();
            // the tick before the window marked its tasks (the first marking of the round, not measured)
            await("the " + plan.perTick() + " tasks due before the window", 30,
                    () -> overdueMarked() >= marked0 + plan.perTick());
            double lead = Duration.between(Instant.now(), from).toMillis() / 1000.0;
            if (lead < 0.5) {
                problems.add("overdue check, " + plan + ": preparing it took " + String.format("%.1f", 0.5 - lead)
                        + " s longer than its lead; not measured");
                continue;
            }
            pause(lead - 0.5);
            Map<String, Double> before = server.metrics();
            StatementCounter.Counts queries0 = counter.counts();
            long t0 = System.nanoTime();
            String overdueTotal = "taskpulse_overdue_total";
            round.due = dueRows;
            double expected = before.get(overdueTotal) + dueRows;
            pause(Duration.between(Instant.now(), from.plusSeconds(options.overdueSeconds)).toMillis() / 1000.0);
            // the last second's tasks are marked by the next tick
            poll(15, () -> overdueMarked() >= expected);
            Map<String, Double> after = server.metrics();
            StatementCounter.Counts queries = counter.counts().minus(queries0);
            round.seconds = (System.nanoTime() - t0) / 1e9;
            round.marked = Math.round(after.get(overdueTotal) - before.get(overdueTotal));
            round.statements = queries.statements();
            round.pings = queries.pings();
            String name = "taskpulse_poll_duration_seconds";
            round.polls = after.get(name + "_count") - before.get(name + "_count");
            round.meanMillis = (after.get(name + "_sum") - before.get(name + "_sum")) / round.polls * 1000;
            round.p99Millis = quantileUpperBound(before, after, name, 0.99) * 1000;
            log("overdue check, %s: %d of %d marked in %.1f s, %.0f polls, mean %.2f ms, p99 ≤ %.1f ms, %.1f queries/poll",
                    plan, round.marked, round.due, round.seconds, round.polls, round.meanMillis, round.p99Millis,
                    round.queriesPerPoll());
            if (round.marked != round.due) {
                problems.add("overdue check, " + plan + ": " + round.marked + " tasks marked overdue, but " + round.due
                        + " were due in the window");
            }
        }
        return rounds;
    }

    /** The smallest bucket bound holding the quantile of the polls between two scrapes. */
    private static double quantileUpperBound(Map<String, Double> before, Map<String, Double> after, String name, double q) {
        List<double[]> buckets = new ArrayList<>();
        for (Map.Entry<String, Double> entry : after.entrySet()) {
            if (entry.getKey().startsWith(name + "_bucket{le=\"")) {
                String le = entry.getKey().substring(entry.getKey().indexOf('"') + 1, entry.getKey().lastIndexOf('"'));
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.add(new double[]{bound, entry.getValue() - before.getOrDefault(entry.getKey(), 0.0)});
            }
        }
        buckets.sort((a, b) -> Double.compare(a[0], b[0]));
        double total = buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1)[1];
        for (double[] bucket : buckets) {
            if (bucket[1] >= q * total) {
                return bucket[0];
            }
        }
        return Double.NaN;
    }

    private void check(Result result) {
        if (result.clients < n) {
            problems.add(result.design + ": only " + result.clients + " of " + n + " clients connected");
        }
        if (result.latency == null || result.latency.getTotalCount() == 0) {
            problems.add(result.design + ": no change reached any client");
        }
        if (result.errors > 0) {
            problems.add(result.design + ": " + result.errors + " client errors, the first: " + result.firstError);
        }
        if (writer.failures.sum() > 0) {
            problems.add(result.design + ": " + writer.failures.sum() + " writes failed");
            writer.failures.reset();
        }
    }

    /**
     * Quiet time before a measurement: PostgreSQL backends flush their statistics up to 10 s after going idle,
     * so without it the previous phase's last queries would be counted in the next one.
     */
    private void settle(String phase) {
        pause(options.settleSeconds);
        loads.add(phase + " " + load());
    }

    /** Queries (statements and pings) per minute the server sent the database while {@code during} runs. */
    private double rate(ThrowingRunnable during) throws Exception {
        Database.Counters before = queries.counters();
        long t0 = System.nanoTime();
        long t1 = System.nanoTime();
        during.run();
        pause(options.calibrationSeconds - (System.nanoTime() - t1) / 1e9);
        Database.Counters counted = queries.counters().minus(before);
        return counted.queries() * 60.0 / ((System.nanoTime() - t0) / 1e9);
    }

    private void awaitPolls(int polls) {
        double start = pollCount();
        await(polls + " polls", 120, () -> pollCount() >= start + polls);
    }

    /**
     * Until every change in the database is stamped and the server's feed has read up to it: with notifications live,
     * an idle server reads the database only every 10 s, so counting polls would wait for the safety net.
     */
    private void awaitPublished(String what) {
        await(what + " published", 120, () -> unchecked(() -> server.metrics().getOrDefault("taskpulse_revision", -1.0)
                >= database.stampedUpTo()));
    }

    /** taskpulse_overdue_total: the overdue transitions this server made. */
    private double overdueMarked() {
        Double marked = server.metrics().get("taskpulse_overdue_total");
        if (marked == null) {
            throw new IllegalStateException("GET /metrics has no taskpulse_overdue_total");
        }
        return marked;
    }

    private double pollCount() {
        return server.metrics().getOrDefault("taskpulse_poll_duration_seconds_count", 0.0);
    }

    private double heap() {
        return server.metrics().getOrDefault("taskpulse_jvm_heap_used_bytes", Double.NaN);
    }

    static String load() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static void await(String what, int seconds, BooleanSupplier condition) {
        if (!poll(seconds, condition)) {
            throw new IllegalStateException("waited " + seconds + " s for " + what);
        }
    }

    /** True once the condition holds, false at the deadline. */
    static boolean poll(int seconds, BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            pause(0.02);
        }
        return condition.getAsBoolean();
    }

    /** The benchmark's clock: a measurement window is a wait by definition. */
    static void pause(double seconds) {
        if (seconds <= 0) {
            return;
        }
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean unchecked(ThrowingBoolean supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            return false;
        }
    }

    static void log(String format, Object... args) {
        System.err.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " bench: " + String.format(format, args));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    interface ThrowingBoolean {
        boolean get() throws Exception;
    }

    /** The problems section, then the report printed and written to --out; returns how many problems there were. */
    private int finish(StringBuilder report) throws IOException {
        if (!problems.isEmpty()) {
            report.append("\n## Problems in this run\n\n");
            problems.forEach(problem -> report.append("- ").append(problem).append('\n'));
        }
        System.out.println(report);
        Files.createDirectories(options.out.getParent());
        Files.writeString(options.out, report.toString());
        log("written to %s", options.out);
        problems.forEach(problem -> log("PROBLEM: %s", problem));
        return problems.size();
    }
}
