package io.taskpulse.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The run as markdown: machine, settings, one row per design, ratios, targets, poll time by table size. */
final class Report {

    private Report() {
    }

    static String markdown(Options options, List<Result> results, Map<Integer, double[]> pollTimes, double idleRate,
                           double perWrite, Instant started, String load, String database, List<String> problems) {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        if (!options.note.isBlank()) {
            md.append("> **").append(options.note).append("**\n\n");
        }
        md.append("Produced by the benchmark harness (`bench/`, see README \"Benchmark\"); rewrite it by running it.\n\n");
        md.append("| | |\n|---|---|\n")
                .append("| date | ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" |\n")
                .append("| machine | ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(memory()).append(" memory; load average (1/5/15 min) before each phase: ").append(load).append(" |\n")
                .append("| JDK (driver and server) | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n")
                .append("| server | Payara Micro (bench/pom.xml `payara.micro.version`), `-Xmx").append(options.serverXmx)
                .append("`, taskpulse.war and bench-baselines.war side by side |\n")
                .append("| database | ").append(database).append(", database emptied before the run |\n")
                .append("| clients | N = ").append(options.clients).append(" per design, one JVM, one `java.net.http.HttpClient` |\n")
                .append("| load | ").append(options.rate).append(" changes/s for ").append(options.phaseSeconds)
                .append(" s per design, ").append(options.hot).append(" of ").append(options.tasks)
                .append(" tasks, half through the API, half by direct SQL `UPDATE` |\n\n");

        md.append("| design | N | write→client p50 / p99 / max (ms) | p99 API / SQL writes (ms) | messages/s | "
                + "fan-out of one change to all N, median / max (ms) | bytes/client/min idle | bytes/client/min churn | "
                + "DB transactions/min (all) | DB queries/min added by the N clients | rows read/min | server CPU (cores) | "
                + "heap / idle socket | RSS / idle socket |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append("| ").append(r.label).append(" | ").append(r.clients)
                    .append(" | ").append(Result.ms(r.latency, 50)).append(" / ").append(Result.ms(r.latency, 99))
                    .append(" / ").append(Result.ms(r.latency, 100))
                    .append(" | ").append(r.design.equals("floor") ? "–" : Result.ms(r.apiLatency, 99) + " / " + Result.ms(r.sqlLatency, 99))
                    .append(" | ").append(String.format("%.0f", r.messagesPerSecond))
                    .append(" | ").append(Double.isNaN(r.fanoutMillis) ? "–"
                            : String.format("%.1f / %.1f (%d probes)", r.fanoutMillis, r.fanoutMaxMillis, r.fanoutProbes))
                    .append(" | ").append(bytes(r.bytesPerClientMinuteIdle))
                    .append(" | ").append(bytes(r.bytesPerClientMinuteChurn))
                    .append(" | ").append(String.format("%.0f", r.transactionsPerMinute))
                    .append(" | ").append(String.format("%.0f", r.deliveryQueriesPerMinute))
                    .append(" | ").append(String.format("%.0f", r.rowsReturnedPerMinute))
                    .append(" | ").append(String.format("%.2f", r.serverCores))
                    .append(" | ").append(bytes(r.heapPerSocketBytes))
                    .append(" | ").append(bytes(r.rssPerSocketBytes)).append(" |\n");
        }
        md.append("\nHow each column is measured:\n\n")
                .append("- **write→client**: every client, every change (HdrHistogram). The writer puts `bench:<task>:<epoch µs>` "
                        + "into the status message just before the write, so the time includes the write and its commit; "
                        + "the client takes the time when the whole message is in. Driver and server share one clock.\n")
                .append("- **fan-out**: one change written while nothing else happens, until the last of the N clients has it "
                        + "(TaskPulse: an API write; floor: the trigger request). The tutorial designs have no fan-out of their own: "
                        + "a change waits for each client's next 5 s tick, see their max latency.\n")
                .append("- **bytes**: message payloads as received (UTF-8), per client, idle (no changes: heartbeats, or the "
                        + "5 s full lists) and under churn; HTTP and WebSocket framing not counted.\n")
                .append(String.format("- **DB** (counted, not inferred): `pg_stat_database` deltas for the benchmark's database "
                        + "(`xact_commit + xact_rollback`; pg_stat_statements is not preloaded on this server). Every autocommit "
                        + "query is one transaction. Measured without clients: %.0f/min idle (TaskPulse's poller) and %.1f per "
                        + "write (the write itself, TaskPulse publishing it, history). *Added by the N clients* = the phase's count "
                        + "minus the idle rate minus its writes × that: about 0 for TaskPulse (its cost does not grow with N), "
                        + "the per-client queries for the tutorial designs. PostgreSQL flushes "
                        + "these statistics about once a second per busy connection, so short phases are approximate.\n",
                        idleRate, perWrite))
                .append("- **server CPU**: utime+stime of the Payara process from /proc during the churn window, in cores.\n")
                .append("- **heap / RSS per idle socket**: (after − before opening N idle clients) / N, heap from "
                        + "`taskpulse_jvm_heap_used_bytes` after a full GC (`jcmd GC.run`), RSS from /proc. Baseline (a) holds no socket.\n\n");

        Optional<Result> taskpulse = results.stream().filter(r -> r.design.equals("taskpulse")).findFirst();
        if (taskpulse.isPresent()) {
            Result tp = taskpulse.get();
            md.append("## Ratios (same run, same machine, same N)\n\n");
            md.append("| baseline | p99 latency: baseline / TaskPulse | DB transactions (all, same writes): baseline / TaskPulse | "
                    + "rows read: baseline / TaskPulse | bytes under churn: baseline / TaskPulse | fan-out: TaskPulse / floor |\n");
            md.append("|---|---:|---:|---:|---:|---:|\n");
            for (Result r : results) {
                if (r == tp) {
                    continue;
                }
                boolean floor = r.design.equals("floor");
                md.append("| ").append(r.label)
                        .append(" | ").append(floor ? "–" : ratio(p99(r), p99(tp)))
                        .append(" | ").append(floor ? "–" : ratio(r.transactionsPerMinute, tp.transactionsPerMinute))
                        .append(" | ").append(floor ? "–" : ratio(r.rowsReturnedPerMinute, tp.rowsReturnedPerMinute))
                        .append(" | ").append(ratio(r.bytesPerClientMinuteChurn, tp.bytesPerClientMinuteChurn))
                        .append(" | ").append(floor ? ratio(tp.fanoutMillis, r.fanoutMillis) : "–").append(" |\n");
            }
            md.append("\n## Targets (issue 6)\n\n| target | this run | met? |\n|---|---|---|\n");
            double p99 = p99(tp);
            md.append("| write→client p99 ≤ 50 ms at 1,000 sockets, ≤ 250 ms at 10,000 | ")
                    .append(String.format("%.1f ms at N = %d", p99, tp.clients)).append(" | ")
                    .append(options.clients < 1000 ? "not measured at 1,000 (N too small)" : verdict(p99 <= (options.clients >= 10000 ? 250 : 50)))
                    .append(" |\n");
            double worst = results.stream().filter(r -> r.design.equals("ajax") || r.design.equals("loop"))
                    .mapToDouble(r -> r.transactionsPerMinute).min().orElse(Double.NaN);
            md.append("| DB queries/min ≥ 200× fewer than both tutorial designs at 1,000 clients, constant in N | ")
                    .append(String.format("all transactions %s fewer than the better tutorial design at N = %d, writes included; "
                            + "%.0f/min added by the clients", ratio(worst, tp.transactionsPerMinute), tp.clients, tp.deliveryQueriesPerMinute))
                    .append(" | ").append(options.clients < 1000 ? "not measured at 1,000" : verdict(worst / tp.transactionsPerMinute >= 200))
                    .append(" |\n");
            results.stream().filter(r -> r.design.equals("floor")).findFirst().ifPresent(floor -> md
                    .append("| fan-out ≤ 1.5× the bare broadcast at the same N | ")
                    .append(String.format("%.1f ms vs %.1f ms (%s)", tp.fanoutMillis, floor.fanoutMillis, ratio(tp.fanoutMillis, floor.fanoutMillis)))
                    .append(" | ").append(verdict(tp.fanoutMillis <= 1.5 * floor.fanoutMillis)).append(" |\n"));
            md.append("| heap per idle socket ≤ 20 KB; 10,000 sockets held | ")
                    .append(bytes(tp.heapPerSocketBytes)).append(String.format(" at N = %d", tp.clients)).append(" | ")
                    .append(verdict(tp.heapPerSocketBytes <= 20 * 1024)).append(options.clients < 10000 ? "; 10,000 not tried" : "").append(" |\n");
            if (!pollTimes.isEmpty()) {
                double first = pollTimes.values().iterator().next()[1];
                double last = pollTimes.values().stream().reduce((a, b) -> b).get()[1];
                md.append("| poll time flat from 1,000 to 100,000 tasks | ")
                        .append(String.format("mean %.2f ms → %.2f ms", first, last)).append(" | ")
                        .append(pollTimes.containsKey(100000) && pollTimes.containsKey(1000) ? verdict(last <= 1.5 * first) + " (flat taken as ≤ 1.5×)" : "not measured up to 100,000")
                        .append(" |\n");
            }
        }
        if (!pollTimes.isEmpty()) {
            md.append("\n## Poll query time by table size (TaskPulse, 1 change/s by SQL, no clients)\n\n")
                    .append("From `taskpulse_poll_duration_seconds` (GET /metrics) deltas: stamp pending changes, read them, hand them over.\n\n")
                    .append("| tasks | polls | mean (ms) | p99 ≤ (bucket bound, ms) |\n|---:|---:|---:|---:|\n");
            pollTimes.forEach((size, t) -> md.append(String.format("| %,d | %.0f | %.2f | %s |\n", size, t[0], t[1],
                    Double.isInfinite(t[2]) ? "> largest bucket" : String.format("%.1f", t[2]))));
        }
        if (!problems.isEmpty()) {
            md.append("\n## Problems in this run\n\n");
            problems.forEach(problem -> md.append("- ").append(problem).append('\n'));
        }
        return md.toString();
    }

    private static double p99(Result r) {
        return r.latency == null || r.latency.getTotalCount() == 0 ? Double.NaN : r.latency.getValueAtPercentile(99) / 1000.0;
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return "–";
        }
        if (b <= 0) {
            return a <= 0 ? "–" : "∞ (TaskPulse ≈ 0)";
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
