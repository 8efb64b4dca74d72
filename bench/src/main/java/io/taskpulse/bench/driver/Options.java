package io.taskpulse.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options ({@code -Dbench.args="..."}; several may come in one argument, space-separated):
 * <pre>
 * --smoke                 50 clients, short phases, one table size, report to bench/target/ (for CI)
 * --clients N[,N...]      WebSocket clients (and pollers for (a)), one round of all designs per N;
 *                         default 1000,5000,10000
 * --phase-seconds S       churn window per design; default 20
 * --rate R                changes per second during churn; default 5
 * --tasks T               tasks on the board during the design phases; default 100
 * --hot H                 tasks the writer changes (even: half API, half SQL); default 20
 * --sizes a,b,c           table sizes for the poll-time measurement; default 1000,10000,100000
 * --poll-seconds S        window per table size; default 5
 * --probes P              single-change fan-out probes per design; default 5
 * --designs d,...         taskpulse,ajax,loop,floor (default: all)
 * --jfr                   record the server with JDK Flight Recorder (bench/target/server-*.jfr) for profiling
 * --no-derby              skip the Derby variant (TaskPulse alone on embedded Derby, after the PostgreSQL rounds)
 * --wrk-connections C     connections of each wrk run (polling fallback); default 100
 * --wrk-seconds S         length of each wrk run; default 10
 * --db-url URL --db-user U   PostgreSQL; default jdbc:postgresql://127.0.0.1:5432/taskpulse_bench, postgres
 * --server-xmx X          Payara's heap; default 1g
 * --out FILE              default docs/benchmarks.md
 * --note TEXT             a line printed at the top of the report (e.g. "small-N run on a shared machine")
 * </pre>
 * The database is emptied at the start of every run: give the benchmark a database of its own.
 */
final class Options {
    List<Integer> clients = List.of(1000, 5000, 10000);
    int phaseSeconds = 20;
    int calibrationSeconds = 10;
    /** quiet time before each measured phase: PostgreSQL flushes an idle backend's statistics within 10 s */
    int settleSeconds = 11;
    double rate = 5;
    int tasks = 100;
    int hot = 20;
    List<Integer> sizes = List.of(1000, 10000, 100000);
    int pollSeconds = 5;
    int probes = 5;
    boolean derby = true;
    boolean jfr;
    int wrkConnections = 100;
    int wrkSeconds = 10;
    List<String> designs = List.of("taskpulse", "ajax", "loop", "floor");
    String dbUrl = "jdbc:postgresql://127.0.0.1:5432/taskpulse_bench";
    String dbUser = "postgres";
    String serverXmx = "1g";
    Path out = Path.of("docs/benchmarks.md");
    String note = "";
    boolean smoke;
    Path target = Path.of(System.getProperty("bench.target", "bench/target")).toAbsolutePath();
    Path payara = Path.of(System.getProperty("bench.payara", "bench/target/payara-micro.jar")).toAbsolutePath();
    Path baselinesWar = Path.of(System.getProperty("bench.baselines", "bench/target/bench-baselines.war")).toAbsolutePath();
    Path taskpulseWar = Path.of("target/taskpulse.war").toAbsolutePath();

    static Options parse(String[] raw) {
        List<String> args = new ArrayList<>();
        for (String arg : raw) {
            args.addAll(Arrays.stream(arg.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList());
        }
        Options options = new Options();
        if (args.contains("--smoke")) {
            options.smoke = true;
            options.clients = List.of(50);
            options.phaseSeconds = 5;
            options.calibrationSeconds = 4;
            options.settleSeconds = 2;
            options.sizes = List.of(1000);
            options.pollSeconds = 3;
            options.probes = 2;
            options.wrkConnections = 10;
            options.wrkSeconds = 2;
            options.out = options.target.resolve("benchmarks-smoke.md");
            options.note = "Smoke run (CI): proves the harness works; its numbers mean nothing.";
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--smoke" -> { }
                case "--clients" -> options.clients = Arrays.stream(args.get(++i).split(",")).map(Integer::valueOf).toList();
                case "--phase-seconds" -> options.phaseSeconds = Integer.parseInt(args.get(++i));
                case "--rate" -> options.rate = Double.parseDouble(args.get(++i));
                case "--tasks" -> options.tasks = Integer.parseInt(args.get(++i));
                case "--hot" -> options.hot = Integer.parseInt(args.get(++i));
                case "--sizes" -> options.sizes = Arrays.stream(args.get(++i).split(",")).map(Integer::valueOf).toList();
                case "--poll-seconds" -> options.pollSeconds = Integer.parseInt(args.get(++i));
                case "--probes" -> options.probes = Integer.parseInt(args.get(++i));
                case "--designs" -> options.designs = List.of(args.get(++i).split(","));
                case "--no-derby" -> options.derby = false;
                case "--jfr" -> options.jfr = true;
                case "--wrk-connections" -> options.wrkConnections = Integer.parseInt(args.get(++i));
                case "--wrk-seconds" -> options.wrkSeconds = Integer.parseInt(args.get(++i));
                case "--db-url" -> options.dbUrl = args.get(++i);
                case "--db-user" -> options.dbUser = args.get(++i);
                case "--server-xmx" -> options.serverXmx = args.get(++i);
                case "--out" -> options.out = Path.of(args.get(++i)).toAbsolutePath();
                case "--note" -> options.note = String.join(" ", args.subList(i + 1, args.size()));
                default -> throw new IllegalArgumentException("unknown option " + arg + "; see Options.java");
            }
            if (arg.equals("--note")) {
                break;
            }
        }
        if (options.hot % 2 != 0 || options.hot > options.tasks) {
            throw new IllegalArgumentException("--hot must be even and at most --tasks");
        }
        return options;
    }
}
