package io.taskpulse.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line options ({@code -Dbench.args="..."}; several may come in one argument, space-separated):
 * <pre>
 * --smoke                 50 clients, short phases, one table size, overdue rounds 100:2,1000:2 of 3 s,
 *                         source tables on PostgreSQL only, report to bench/target/ (for CI)
 * --clients N[,N...]      WebSocket clients (and pollers for (a)), one round of all designs per N;
 *                         default 1000,5000,10000
 * --phase-seconds S       churn window per design; default 20
 * --rate R                changes per second during churn; default 5
 * --tasks T               tasks on the board during the design phases; default 100
 * --hot H                 tasks the writer changes (even: half API, half SQL); default 20
 * --sizes a,b,c           table sizes for the poll-time measurement; default 1000,10000,100000
 * --poll-seconds S        window per table size; default 5
 * --overdue-sizes T:D,... the overdue check: T scheduled tasks of which D become overdue each second (tick), one
 *                         round each; poll time, polls, transitions (must equal what was due) and statements per
 *                         poll; default 1000:10,100000:10,100000:1000; none skips it
 * --overdue-seconds S     window per round (D × S tasks become due); default 20
 * --probes P              single-change fan-out probes per design; default 5
 * --rates R,...            the rate sweep (issue 17): with all N sockets of TaskPulse's and the floor's rounds open,
 *                         a burst of --sweep-seconds at each rate (changes/s; the floor: broadcasts/s), write→client
 *                         latency and heap after a full GC before and after each; default 1,10,100,1000 (smoke:
 *                         1,10); none skips it
 * --sweep-seconds S       length of each burst; default 10 (smoke: 3)
 * --designs d,...         taskpulse,ajax,loop,floor (default: all)
 * --jfr                   record the server with JDK Flight Recorder (bench/target/server-*.jfr) for profiling
 * --no-derby              skip the Derby variant (TaskPulse alone on embedded Derby, after the PostgreSQL rounds)
 * --wrk-connections C     connections of each wrk run (polling fallback); default 100
 * --wrk-seconds S         length of each wrk run; default 10
 * --db-url URL --db-user U   PostgreSQL; default jdbc:postgresql://127.0.0.1:5432/taskpulse_bench, postgres
 * --source-dbs d,...      source tables (issue 16): ORM commit → client latency on postgresql,mariadb (default both;
 *                         smoke: postgresql; none skips it), TaskPulse alone, after the other phases
 * --source-clients N      its WebSocket clients; default 1000 (smoke: 50)
 * --source-rate R         its commits per second, for --phase-seconds; default 5
 * --mariadb-url URL --mariadb-user U   MariaDB for it (dropped and created again);
 *                         default jdbc:mariadb://127.0.0.1:3306/taskpulse_bench, root
 * --write-dbs d,...       write throughput (issue 17): 16 connections reporting as fast as they go, TaskPulse's
 *                         single reports, the plain-JDBC floor and bulk reports, on postgresql,derby (default both;
 *                         smoke: postgresql; none skips it), with both WARs, after the other phases
 * --write-sockets N,...   open WebSocket clients during its windows; default 0,1000 (smoke: 0,50)
 * --write-connections C   its keep-alive connections; default 16
 * --write-batch B         items per bulk request (POST /api/reports?create=true, at most 1000); default 100
 * --write-seconds S       its measured window, after a warm-up of a quarter of it; default --phase-seconds (smoke: 3)
 * --pin                   the writes' 0-socket windows again with the server on core 1 and the driver on core 0
 *                         (taskset -a -p: every thread of each process), pinned beside unpinned in the report
 * --only source           run only the source-table phase; report to bench/target/benchmarks-source.md
 * --only writes           run only the write-throughput phase; report to bench/target/benchmarks-writes.md
 * --only sweep            only TaskPulse's and the floor's rounds with the rate sweep (default 1,10,100,1000 at 1,000
 *                         sockets); report to bench/target/benchmarks-sweep.md
 * --server-xmx X          Payara's heap; default 1g
 * --out FILE              default docs/benchmarks.md
 * --war FILE              the TaskPulse WAR under test; default target/taskpulse.war (a copy keeps a run safe from a
 *                         build that rewrites it meanwhile)
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
    List<Overdue.Plan> overdue = Overdue.Plan.parse("1000:10,100000:10,100000:1000");
    int overdueSeconds = 20;
    int probes = 5;
    /** Every full run sweeps (issue 17 wants its table from the same run as the rest). */
    List<Double> sweepRates = List.of(1.0, 10.0, 100.0, 1000.0);
    int sweepSeconds = 10;
    boolean derby = true;
    boolean jfr;
    int wrkConnections = 100;
    int wrkSeconds = 10;
    List<String> designs = List.of("taskpulse", "ajax", "loop", "floor");
    String dbUrl = "jdbc:postgresql://127.0.0.1:5432/taskpulse_bench";
    String dbUser = "postgres";
    List<String> sourceDbs = List.of("postgresql", "mariadb");
    int sourceClients = 1000;
    double sourceRate = 5;
    String mariadbUrl = "jdbc:mariadb://127.0.0.1:3306/taskpulse_bench";
    String mariadbUser = "root";
    List<String> writeDbs = List.of("postgresql", "derby");
    List<Integer> writeSockets = List.of(0, 1000);
    int writeConnections = 16;
    int writeBatch = 100;
    /** 0: --phase-seconds */
    int writeSeconds;
    boolean pin;
    /** null: every phase; "source" or "writes": that phase alone */
    String only;
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
            options.overdue = Overdue.Plan.parse("100:2,1000:2");
            options.overdueSeconds = 3;
            options.probes = 2;
            options.sweepRates = List.of(1.0, 10.0);
            options.sweepSeconds = 3;
            options.wrkConnections = 10;
            options.wrkSeconds = 2;
            options.out = options.target.resolve("benchmarks-smoke.md");
            options.note = "Smoke run (CI): proves the harness works; its numbers mean nothing.";
            // MariaDB's round would add a Payara start (about 30 s here): the smoke run checks PostgreSQL's
            options.sourceDbs = List.of("postgresql");
            options.sourceClients = 50;
            options.writeDbs = List.of("postgresql");
            options.writeSockets = List.of(0, 50);
            options.writeSeconds = 3;
        }
        boolean out = false;
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
                case "--overdue-sizes" -> options.overdue = Overdue.Plan.parse(args.get(++i));
                case "--overdue-seconds" -> options.overdueSeconds = Integer.parseInt(args.get(++i));
                case "--probes" -> options.probes = Integer.parseInt(args.get(++i));
                case "--rates" -> options.sweepRates = args.get(++i).equals("none") ? List.of()
                        : Arrays.stream(args.get(i).split(",")).map(Double::valueOf).toList();
                case "--sweep-seconds" -> options.sweepSeconds = Integer.parseInt(args.get(++i));
                case "--designs" -> options.designs = List.of(args.get(++i).split(","));
                case "--no-derby" -> options.derby = false;
                case "--jfr" -> options.jfr = true;
                case "--wrk-connections" -> options.wrkConnections = Integer.parseInt(args.get(++i));
                case "--wrk-seconds" -> options.wrkSeconds = Integer.parseInt(args.get(++i));
                case "--db-url" -> options.dbUrl = args.get(++i);
                case "--db-user" -> options.dbUser = args.get(++i);
                case "--server-xmx" -> options.serverXmx = args.get(++i);
                case "--out" -> {
                    options.out = Path.of(args.get(++i)).toAbsolutePath();
                    out = true;
                }
                case "--source-dbs" -> {
                    String dbs = args.get(++i);
                    options.sourceDbs = dbs.equals("none") ? List.of() : List.of(dbs.split(","));
                }
                case "--war" -> options.taskpulseWar = Path.of(args.get(++i)).toAbsolutePath();
                case "--source-clients" -> options.sourceClients = Integer.parseInt(args.get(++i));
                case "--source-rate" -> options.sourceRate = Double.parseDouble(args.get(++i));
                case "--mariadb-url" -> options.mariadbUrl = args.get(++i);
                case "--mariadb-user" -> options.mariadbUser = args.get(++i);
                case "--write-dbs" -> {
                    String dbs = args.get(++i);
                    options.writeDbs = dbs.equals("none") ? List.of() : List.of(dbs.split(","));
                }
                case "--write-sockets" -> options.writeSockets = Arrays.stream(args.get(++i).split(",")).map(Integer::valueOf).toList();
                case "--write-connections" -> options.writeConnections = Integer.parseInt(args.get(++i));
                case "--write-batch" -> options.writeBatch = Integer.parseInt(args.get(++i));
                case "--write-seconds" -> options.writeSeconds = Integer.parseInt(args.get(++i));
                case "--pin" -> options.pin = true;
                case "--only" -> {
                    options.only = args.get(++i);
                    if (!List.of("source", "writes", "sweep").contains(options.only)) {
                        throw new IllegalArgumentException("--only takes source (the source-table phase), writes "
                                + "(write throughput) or sweep (the rate sweep), not " + options.only);
                    }
                }
                case "--note" -> options.note = String.join(" ", args.subList(i + 1, args.size()));
                default -> throw new IllegalArgumentException("unknown option " + arg + "; see Options.java");
            }
            if (arg.equals("--note")) {
                break;
            }
        }
        if ("sweep".equals(options.only)) {
            // TaskPulse and the floor at N sockets, a burst per rate, and nothing else
            options.designs = List.of("taskpulse", "floor");
            options.derby = false;
            options.writeDbs = List.of();
            options.sourceDbs = List.of();
            options.sizes = List.of();
            options.overdue = List.of();
            if (!args.contains("--clients")) {
                options.clients = List.of(1000);
            }
        }
        if (options.only != null && !out) {
            options.out = options.target.resolve("benchmarks-" + options.only + ".md");
        }
        if (options.writeSeconds == 0) {
            options.writeSeconds = options.phaseSeconds;
        }
        for (String db : options.writeDbs) {
            if (!db.equals("postgresql") && !db.equals("derby")) {
                throw new IllegalArgumentException("--write-dbs takes postgresql,derby or none, not " + db);
            }
        }
        if (options.writeBatch < 1 || options.writeBatch > 1000) {
            throw new IllegalArgumentException("--write-batch must be 1 to 1000 (the API's limit)");
        }
        for (String db : options.sourceDbs) {
            if (!db.equals("postgresql") && !db.equals("mariadb")) {
                throw new IllegalArgumentException("--source-dbs takes postgresql,mariadb or none, not " + db);
            }
        }
        if (options.hot % 2 != 0 || options.hot > options.tasks) {
            throw new IllegalArgumentException("--hot must be even and at most --tasks");
        }
        return options;
    }
}
