package io.taskpulse.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The run as markdown: machine, settings, one row per design, ratios, targets, poll time by table size. */
final class Report {

    private Report() {
    }

    static String markdown(Options options, List<Result> results, List<Fallback.Run> fallback,
                           Map<Integer, double[]> pollTimes, List<Overdue> overdue, double idleRate, double perWrite, double[] derby, Instant started,
                           String load, String database, List<String> problems, List<SourceLatency.Run> sources,
                           String writes) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        if (!options.note.isBlank()) {
            md.append("> **").append(options.note).append("**\n\n");
        }
        md.append("For contributors and evaluators: the numbers of the last full benchmark run. Produced by the harness "
                + "(`bench/`, how to run it and what each target means: docs/benchmarking.md); rewrite it by running it.\n\n");
        md.append("| | |\n|---|---|\n")
                .append("| date | ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" |\n")
                .append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(memory()).append(" memory; load average (1/5/15 min) before each phase: ").append(load).append(" |\n")
                .append("| JDK (driver and server) | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n")
                .append("| server | Payara Micro (bench/pom.xml `payara.micro.version`), `-Xmx").append(options.serverXmx)
                .append("`, taskpulse.war and bench-baselines.war side by side |\n")
                .append("| database | ").append(database).append(", database emptied before the run |\n")
                .append("| clients | N = ").append(options.clients.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                .append(", every design at each N; one JVM: WebSocket clients on non-blocking sockets (`SocketFleet`), pollers on one `java.net.http.HttpClient` |\n")
                .append("| load | ").append(options.rate).append(" changes/s for ").append(options.phaseSeconds)
                .append(" s per design, ").append(options.hot).append(" of ").append(options.tasks)
                .append(" tasks, half through the API, half by direct SQL `UPDATE` |\n\n");

        md.append("| design | N | write→client p50 / p99 / max (ms) | p99 API / SQL writes (ms) | messages/s | "
                + "fan-out of one change to all N: write → last client, median / max; first → last client, median (ms) | bytes/client/min idle | bytes/client/min churn | "
                + "DB queries/min (all; of which pings) | DB queries/min for delivery | rows read/min | server CPU (cores) | "
                + "heap / idle socket | RSS / idle socket |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append("| ").append(r.label).append(" | ").append(r.clients)
                    .append(" | ").append(Result.ms(r.latency, 50)).append(" / ").append(Result.ms(r.latency, 99))
                    .append(" / ").append(Result.ms(r.latency, 100))
                    .append(" | ").append(r.design.equals("floor") ? "–" : Result.ms(r.apiLatency, 99) + " / " + Result.ms(r.sqlLatency, 99))
                    .append(" | ").append(String.format("%.0f", r.messagesPerSecond))
                    .append(" | ").append(Double.isNaN(r.fanoutMillis) ? "–"
                            : String.format("%.1f / %.1f; %.1f (%d probes)", r.fanoutMillis, r.fanoutMaxMillis, r.spreadMillis, r.fanoutProbes))
                    .append(" | ").append(bytes(r.bytesPerClientMinuteIdle))
                    .append(" | ").append(bytes(r.bytesPerClientMinuteChurn))
                    .append(" | ").append(String.format("%.0f (%.0f)", r.queriesPerMinute, r.pingsPerMinute))
                    .append(" | ").append(String.format("%.0f", Math.max(0, r.deliveryQueriesPerMinute)))
                    .append(" | ").append(r.design.endsWith("derby") ? "–" : String.format("%.0f", r.rowsReturnedPerMinute))
                    .append(" | ").append(String.format("%.2f", r.serverCores))
                    .append(" | ").append(bytes(r.heapPerSocketBytes))
                    .append(" | ").append(bytes(r.rssPerSocketBytes)).append(" |\n");
        }
        md.append("\nHow each column is measured:\n\n")
                .append("- **write→client**: every client, every change (HdrHistogram). The writer puts `bench:<task>:<epoch µs>` "
                        + "into the status message just before the write, so the time includes the write and its commit; "
                        + "the client takes the time when the whole message is in. Driver and server share one clock. "
                        + "A direct-SQL write waits for TaskPulse's next poll (1 s interval) by design.\n")
                .append("- **fan-out**: one change written while nothing else happens, until the last of the N clients has it "
                        + "(TaskPulse: from just before an API write; floor: from just before the trigger request), and from the "
                        + "first client's receipt to the last's: the broadcast alone, which the target compares (TaskPulse's write "
                        + "and poll before it are a constant, shown in the write→client columns). The tutorial designs have no fan-out of their own: "
                        + "a change waits for each client's next 5 s tick, see their max latency.\n")
                .append("- **bytes**: message payloads as received (UTF-8), per client, idle (no changes: heartbeats, or the "
                        + "5 s full lists) and under churn; HTTP and WebSocket framing not counted.\n")
                .append(String.format("- **DB queries** (counted, not inferred): every statement the server sent PostgreSQL "
                        + "(JDBC Execute messages, BEGIN/COMMIT included, and simple queries) plus the pool's validation pings, "
                        + "read off the wire by a proxy in the driver (`StatementCounter`); the driver's own SQL writes are not "
                        + "counted. Measured without clients: %.0f/min idle (TaskPulse's poller) and %.1f per write (the write "
                        + "itself, TaskPulse stamping and publishing it). *For delivery* = the phase's queries minus its writes × "
                        + "that minus TaskPulse's idle poller, which runs beside every design; for TaskPulse that idle poller is its delivery "
                        + "and is added back (with anything the N clients added, never less than 0). "
                        + "*Rows read* is `pg_stat_database.tup_returned` (flushed about once a second: approximate).\n",
                        idleRate, perWrite))
                .append(Double.isNaN(derby[0]) ? "" : String.format("- **Derby variant**: a second server, TaskPulse alone on "
                        + "embedded Derby, changes through the API only. Its statements are counted from Derby's own statement log "
                        + "(`derby.language.logStatementText`, one line per execution): %.0f/min idle, %.1f per write.\n",
                        derby[0], derby[1]))
                .append("- **server CPU**: utime+stime of the Payara process from /proc during the churn window, in cores.\n")
                .append("- **heap / RSS per idle socket**: the slope between N/2 and N open idle clients, heap from "
                        + "`taskpulse_jvm_heap_used_bytes` after a full GC (`jcmd GC.run`), RSS from /proc. Baseline (a) holds no socket.\n\n");

        List<Result> taskpulse = results.stream().filter(r -> r.design.equals("taskpulse")).toList();
        if (!taskpulse.isEmpty()) {
            md.append("## Ratios (same run, same machine, same N)\n\n");
            md.append("| N | baseline | p99 latency: baseline / TaskPulse | DB queries for delivery: baseline / TaskPulse | "
                    + "DB queries, all (the same writes): baseline / TaskPulse | rows read: baseline / TaskPulse | bytes under churn: baseline / TaskPulse | fan-out, first → last client: TaskPulse / floor |\n");
            md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
            for (Result tp : taskpulse) {
                for (Result r : results) {
                    if (r.design.startsWith("taskpulse") || r.clients != tp.clients) {
                        continue;
                    }
                    boolean floor = r.design.equals("floor");
                    md.append("| ").append(r.clients).append(" | ").append(r.label)
                            .append(" | ").append(floor ? "–" : ratio(p99(r), p99(tp)))
                            .append(" | ").append(floor ? "–" : ratio(r.deliveryQueriesPerMinute, tp.deliveryQueriesPerMinute))
                            .append(" | ").append(floor ? "–" : ratio(r.queriesPerMinute, tp.queriesPerMinute))
                            .append(" | ").append(floor ? "–" : ratio(r.rowsReturnedPerMinute, tp.rowsReturnedPerMinute))
                            .append(" | ").append(ratio(r.bytesPerClientMinuteChurn, tp.bytesPerClientMinuteChurn))
                            .append(" | ").append(floor ? ratio(tp.spreadMillis, r.spreadMillis) + " (write → last: "
                                    + ratio(tp.fanoutMillis, r.fanoutMillis) + ")" : "–").append(" |\n");
                }
            }
            targets(md, results, taskpulse, pollTimes, overdue);
        }
        if (!fallback.isEmpty()) {
            md.append("\n## Polling fallback under wrk (").append(options.wrkConnections).append(" connections, ")
                    .append(options.wrkSeconds).append(" s each, no changes)\n\n")
                    .append("| path | requests/s | latency p50 | latency p99 | transfer/s | DB queries/min while it ran | errors |\n")
                    .append("|---|---:|---:|---:|---:|---:|---:|\n");
            fallback.forEach(run -> md.append("| ").append(run.label)
                    .append(String.format(" | %.0f | %s | %s | %s | %.0f | %d |\n", run.requestsPerSecond, run.p50, run.p99,
                            bytes(run.transferPerSecond), run.queriesPerMinute, run.errors)));
            md.append("\nTaskPulse answers both paths from memory (the feed's state), so its queries stay at the idle "
                    + "poller's rate whatever the request rate; the tutorial's servlet queries once per request.\n");
        }
        if (!pollTimes.isEmpty()) {
            md.append("\n## Poll query time by table size (TaskPulse, 1 change/s by SQL, no clients)\n\n")
                    .append("From `taskpulse_poll_duration_seconds` (GET /metrics) deltas: stamp pending changes, read them, hand them over.\n\n")
                    .append("| tasks | polls | mean (ms) | p99 ≤ (bucket bound, ms) |\n|---:|---:|---:|---:|\n");
            pollTimes.forEach((size, t) -> md.append(String.format("| %,d | %.0f | %.2f | %s |\n", size, t[0], t[1],
                    Double.isInfinite(t[2]) ? "> largest bucket" : String.format("%.1f", t[2]))));
        }
        if (!overdue.isEmpty()) {
            md.append("\n## Overdue check by schedule size (TaskPulse, no clients, no other writes)\n\n")
                    .append("Issue 14: the overdue check runs in the change poller and must cost what is due, not what exists. "
                            + "Each round schedules the table's first *scheduled tasks* by SQL (the table holds ")
                    .append(String.format("%,d", overdue.get(0).tableRows))
                    .append(" tasks throughout, the rest unscheduled), setting the columns `Task.schedule` sets (`PT1H`, 5 min "
                            + "grace, expected half an hour to an hour from now), then makes *due per tick* of them, spread over "
                            + "the scheduled rows, overdue in each second of a ").append(options.overdueSeconds)
                    .append(" s window (and one tick's worth 2 s before it, so that the first marking is not measured). "
                            + "Measured over the window (from half a second before it until the last due task is marked), from GET /metrics deltas: `taskpulse_poll_duration_seconds` "
                            + "(every poll that read the database: the due check and its marking, then stamping and reading the "
                            + "marked tasks as changes, as for any change) and `taskpulse_overdue_total` (transitions made; the "
                            + "run fails unless it equals what was due); and the statements and pool pings the server sent "
                            + "PostgreSQL, counted on the wire, per poll. `Deadlines` finds due tasks through the index on "
                            + "`overdue_at`, and the poller checks only when the earliest due moment has come.\n\n")
                    .append("| scheduled tasks | due per tick | measured (s) | polls | mean (ms) | p99 ≤ (bucket bound, ms) | "
                            + "made overdue / due | DB queries per poll (statements + pings) |\n"
                            + "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            overdue.forEach(round -> md.append(String.format("| %,d | %,d | %.1f | %.0f | %.2f | %s | %,d / %,d | %.1f |\n",
                    round.plan.tasks(), round.plan.perTick(), round.seconds, round.polls, round.meanMillis,
                    Double.isInfinite(round.p99Millis) ? "> largest bucket" : String.format("%.1f", round.p99Millis),
                    round.marked, round.due, round.queriesPerPoll())));
        }
        if (!sources.isEmpty()) {
            md.append(SourceLatency.markdown(sources));
        }
        md.append(writes);
        if (!problems.isEmpty()) {
            md.append("\n## Problems in this run\n\n");
            problems.forEach(problem -> md.append("- ").append(problem).append('\n'));
        }
        return md.toString();
    }

    private static void targets(StringBuilder md, List<Result> results, List<Result> taskpulse, Map<Integer, double[]> pollTimes,
                                List<Overdue> overdue) {
        md.append("\n## Targets (issue 6)\n\n| target | this run | met? |\n|---|---|---|\n");
        Optional<Result> at1k = taskpulse.stream().filter(r -> r.clients == 1000).findFirst();
        Optional<Result> at10k = taskpulse.stream().filter(r -> r.clients == 10000).findFirst();
        md.append("| write→client p99 ≤ 50 ms at 1,000 sockets | ").append(at1k.map(r -> String.format("%.1f ms", p99(r))).orElse("–"))
                .append(" | ").append(at1k.map(r -> verdict(p99(r) <= 50)).orElse("not measured at 1,000")).append(" |\n");
        md.append("| write→client p99 ≤ 250 ms at 10,000 sockets | ").append(at10k.map(r -> String.format("%.1f ms", p99(r))).orElse("–"))
                .append(" | ").append(at10k.map(r -> verdict(p99(r) <= 250)).orElse("not measured at 10,000")).append(" |\n");
        md.append("| DB queries/min for delivery ≥ 200× fewer than both tutorial designs at 1,000 clients | ");
        if (at1k.isPresent()) {
            Result tp = at1k.get();
            double better = results.stream().filter(r -> r.clients == 1000 && (r.design.equals("ajax") || r.design.equals("loop")))
                    .mapToDouble(r -> r.deliveryQueriesPerMinute).min().orElse(Double.NaN);
            md.append(String.format("TaskPulse %.0f/min, the better tutorial design %.0f/min: %s", tp.deliveryQueriesPerMinute,
                    better, ratio(better, tp.deliveryQueriesPerMinute))).append(" | ")
                    .append(Double.isNaN(better) ? "baselines not run" : verdict(better >= 200 * tp.deliveryQueriesPerMinute)).append(" |\n");
        } else {
            md.append("– | not measured at 1,000 |\n");
        }
        // Every phase makes the same writes at the same rate, so TaskPulse's whole count is comparable across N. It may
        // fall as N grows (each poll, woken per commit, finds more writes while a longer fan-out runs): what the
        // target guards is that clients cost no queries, so a fall passes and a rise over 20 % does not.
        md.append("| DB queries/min do not grow with N | TaskPulse, all queries (the same writes in each phase): ")
                .append(taskpulse.stream().map(r -> String.format("%.0f at %d", r.queriesPerMinute, r.clients))
                        .collect(Collectors.joining(", ")))
                .append(" | ").append(taskpulse.size() < 2 ? "one N only"
                        : verdict(growth(taskpulse) <= 1.2) + " (at most 20 % above the smallest N's)").append(" |\n");
        for (Result tp : taskpulse) {
            results.stream().filter(r -> r.design.equals("floor") && r.clients == tp.clients).findFirst().ifPresent(floor -> md
                    .append("| fan-out ≤ 1.5× the bare broadcast at N = ").append(tp.clients).append(" | ")
                    .append(String.format("first → last client %.1f ms vs %.1f ms (%s); write → last client %.1f ms vs %.1f ms (%s)",
                            tp.spreadMillis, floor.spreadMillis, ratio(tp.spreadMillis, floor.spreadMillis),
                            tp.fanoutMillis, floor.fanoutMillis, ratio(tp.fanoutMillis, floor.fanoutMillis)))
                    .append(" | ").append(verdict(tp.spreadMillis <= 1.5 * floor.spreadMillis)).append(" (on the broadcast)").append(" |\n"));
        }
        for (Result tp : taskpulse) {
            md.append("| heap per idle socket ≤ 20 KB at N = ").append(tp.clients).append(" | ").append(bytes(tp.heapPerSocketBytes))
                    .append(" | ").append(verdict(tp.heapPerSocketBytes <= 20 * 1000)).append(" |\n");
        }
        md.append("| 10,000 sockets held on this machine | ").append(at10k.map(r -> r.clients + " of 10000 connected, "
                        + r.errors + " client errors").orElse("–"))
                .append(" | ").append(at10k.map(r -> verdict(r.clients >= 10000 && r.errors == 0)).orElse("not tried")).append(" |\n");
        if (!pollTimes.isEmpty()) {
            double first = pollTimes.values().iterator().next()[1];
            double last = pollTimes.values().stream().reduce((a, b) -> b).get()[1];
            md.append("| poll time flat from 1,000 to 100,000 tasks | ")
                    .append(String.format("mean %.2f ms → %.2f ms", first, last)).append(" | ")
                    .append(pollTimes.containsKey(100000) && pollTimes.containsKey(1000) ? verdict(last <= 1.5 * first) + " (flat taken as ≤ 1.5×)" : "not measured up to 100,000")
                    .append(" |\n");
        }
        if (!overdue.isEmpty()) {
            overdueTarget(md, overdue);
        }
    }

    private static int maxTasks(List<Overdue> overdue) {
        return overdue.stream().mapToInt(round -> round.plan.tasks()).max().orElse(0);
    }

    /**
     * The overdue target: poll time with the most scheduled tasks against the fewest, at the first round's tasks due
     * per tick.
     */
    private static void overdueTarget(StringBuilder md, List<Overdue> overdue) {
        int perTick = overdue.get(0).plan.perTick();
        List<Overdue> same = overdue.stream().filter(r -> r.plan.perTick() == perTick && r.polls > 0)
                .sorted(java.util.Comparator.comparingInt(r -> r.plan.tasks())).toList();
        md.append("| overdue check costs what is due: poll time with 100,000 scheduled tasks ≤ 1.5× that with 1,000 (")
                .append(perTick).append(" due per tick) | ");
        if (same.size() < 2) {
            md.append("– | not measured |\n");
            return;
        }
        Overdue small = same.get(0);
        Overdue large = same.get(same.size() - 1);
        boolean marked = overdue.stream().allMatch(r -> r.marked == r.due);
        md.append(String.format("mean %.2f ms at %,d → %.2f ms at %,d (%s); every due task marked: %s", small.meanMillis,
                        small.plan.tasks(), large.meanMillis, large.plan.tasks(), ratio(large.meanMillis, small.meanMillis),
                        marked ? "yes" : "**no**"))
                .append(" | ").append(small.plan.tasks() == 1000 && large.plan.tasks() == 100000
                        ? verdict(marked && large.meanMillis <= 1.5 * small.meanMillis) : "not measured at 1,000 and 100,000")
                .append(" |\n");
    }

    /** The largest query count at any N over the count at the smallest N. */
    private static double growth(List<Result> taskpulse) {
        Result smallest = taskpulse.stream().min(Comparator.comparingInt(r -> r.clients)).orElseThrow();
        double max = taskpulse.stream().mapToDouble(r -> r.queriesPerMinute).max().orElse(1);
        return smallest.queriesPerMinute <= 0 ? Double.POSITIVE_INFINITY : max / smallest.queriesPerMinute;
    }

    private static double p99(Result r) {
        return r.latency == null || r.latency.getTotalCount() == 0 ? Double.NaN : r.latency.getValueAtPercentile(99) / 1000.0;
    }

    /**
     * The rate sweep: per N and asked rate, TaskPulse beside the floor (the same N, the same rate of broadcasts),
     * with the two targets: TaskPulse's p99 at most 2× the floor's, heap after the burst within 5 % of before.
     */
    static String sweep(Options options, List<SweepPoint> points) {
        if (points.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Rate sweep (issue 17)\n\n");
        md.append("With N sockets open on each design, a burst of ").append(options.sweepSeconds).append(" s at each ")
                .append("rate: TaskPulse's writer reports changes (even hot tasks through the API, odd ones by SQL; one ")
                .append("at a time up to 100/s, above that every 10 ms the changes due, the API's in one bulk report and ")
                .append("the SQL ones in one transaction, at most one per hot task), the floor's asks its endpoint for one ")
                .append("broadcast per change (up to 64 in flight). Latency from just before ")
                .append("each write to each client's receipt, over every client and change (HdrHistogram). Heap: ")
                .append("live objects (`jcmd GC.class_histogram`, which runs a full GC; by class in bench/target/heap-sweep-*.txt) ")
                .append("before the burst and after it, its drain and a second with nothing arriving at any client. Where the writes take longer than their period the writer goes as fast as it can, ")
                .append("and *written* says so.\n\n");
        md.append("| N | asked (/s) | written (/s): TaskPulse / floor | deliveries: TaskPulse / floor | TaskPulse p50 / p99 / max (ms) ")
                .append("| floor p50 / p99 / max (ms) | p99: TaskPulse ÷ floor (target ≤ 2×) | TaskPulse heap after ÷ before ")
                .append("(target ≤ 1.05) | write failures; client errors: TaskPulse / floor |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SweepPoint mine : points) {
            if (!mine.design().equals("taskpulse")) {
                continue;
            }
            SweepPoint floor = points.stream().filter(p -> p.design().equals("floor") && p.clients() == mine.clients()
                    && p.askedPerSecond() == mine.askedPerSecond()).findFirst().orElse(null);
            double p99 = percentile(mine, 99);
            double floorP99 = floor == null ? Double.NaN : percentile(floor, 99);
            double p99Ratio = p99 / floorP99;
            md.append(String.format("| %d | %.0f | %.1f / %s | %d / %s | %s / %s / %s | %s | %s | %s | %d / %s; %d / %s |%n",
                    mine.clients(), mine.askedPerSecond(), mine.achievedPerSecond(),
                    floor == null ? "–" : String.format("%.1f", floor.achievedPerSecond()),
                    mine.latency().getTotalCount(), floor == null ? "–" : String.valueOf(floor.latency().getTotalCount()),
                    Result.ms(mine.latency(), 50), Result.ms(mine.latency(), 99), Result.ms(mine.latency(), 100),
                    floor == null ? "–" : Result.ms(floor.latency(), 50) + " / " + Result.ms(floor.latency(), 99) + " / "
                            + Result.ms(floor.latency(), 100),
                    Double.isNaN(p99Ratio) ? "–"
                            // a floor that could not keep the rate measures its queue: no like-for-like ratio
                            : floor.achievedPerSecond() < 0.9 * floor.askedPerSecond()
                            ? String.format("– (the floor kept %.1f of %.0f/s)", floor.achievedPerSecond(), floor.askedPerSecond())
                            : String.format("%.1f× (%s)", p99Ratio, p99Ratio <= 2 ? "met" : "missed"),
                    String.format("%.2f (%s)", mine.heapRatio(), mine.heapRatio() <= 1.05 ? "met" : "missed"),
                    mine.writeFailures(), floor == null ? "–" : String.valueOf(floor.writeFailures()), mine.clientErrors(),
                    floor == null ? "–" : String.valueOf(floor.clientErrors())));
        }
        return md.toString();
    }

    private static double percentile(SweepPoint point, double percentile) {
        return point.latency().getTotalCount() == 0 ? Double.NaN : point.latency().getValueAtPercentile(percentile) / 1000.0;
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return "–";
        }
        if (b <= 0) {
            return a <= 0 ? "–" : "∞";
        }
        return String.format("%.1f×", a / b);
    }

    private static String verdict(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String bytes(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Math.abs(value) >= 1024 * 1024) {
            return String.format("%.1f MiB", value / 1024 / 1024);
        }
        if (Math.abs(value) >= 1024) {
            return String.format("%.1f KiB", value / 1024);
        }
        return String.format("%.0f B", value);
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return String.format("%.1f GiB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
