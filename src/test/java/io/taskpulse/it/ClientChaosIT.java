package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 19: clients that leave in the ways {@link FeedChurnIT} does not play, each mode alone for a phase
 * ({@code -Dchaos.seconds}, default 15) on one fresh server with the default ping and send timeout, while
 * {@value #WRITERS} writers write and {@value #LOYAL} loyal WebSocket clients and {@value #LONG_POLLERS} long-polls watch:
 * <ul>
 * <li>resume storms: {@value #STORM} clients reconnecting at once with {@code ?since}, going again after a part or two;</li>
 * <li>clients that stop reading for 10 to 30 s (a small receive window) and then read again;</li>
 * <li>clients that send the upgrade, then a partial frame, and hang;</li>
 * <li>half-open clients: they read their snapshot, then never read nor answer a ping again.</li>
 * </ul>
 * What a user relies on, checked with generous bounds (the numbers are printed): no client delays the poll or another
 * client (no poll cycle over {@value #POLL_BOUND_SECONDS} s, {@code /health} always answers 200 in time, loyal clients'
 * p99 under {@value #LOYAL_P99_BOUND_MILLIS} ms), dead peers are closed within two ping intervals and a margin,
 * the server's threads come back to about their idle count once the clients left, and the feed still works.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientChaosIT {

    static final int WRITERS = 3;
    static final int LOYAL = 10;
    static final int LONG_POLLERS = 2;
    static final int STORM = 50;
    static final int TASKS = 120;
    static final int DESCRIPTION_CHARS = 600;
    static final Duration PHASE = Duration.ofSeconds(Long.getLong("chaos.seconds", 15));
    /** The documented default ping interval; a dead peer must be closed within two of them (and the sweep's second). */
    static final Duration PING = Duration.ofSeconds(10);
    static final Duration DEAD_PEER_BOUND = PING.multipliedBy(2).plusSeconds(5);
    /** The poll's histogram bucket no poll may exceed; a poll takes milliseconds, the issue saw over 4 s. */
    static final double POLL_BOUND_SECONDS = 2.5;
    /** Control runs: p99 93 to 124 ms; the issue saw 5.4 to 7.4 s. Generous for a shared 2-core box. */
    static final long LOYAL_P99_BOUND_MILLIS = 2500;
    /** Threads may end this many above their idle count (pools keep a few): the issue saw 200 more. */
    static final int THREADS_MARGIN = 40;
    private static final Pattern PROBE = Pattern.compile("probe t(\\d+) ");
    private static final Pattern BROKEN_FEED = Pattern.compile("ConcurrentModificationException|does not follow revision|Clients not told");

    enum Mode {
        CONTROL, RESUME_STORM, STOPS_READING_THEN_READS, PARTIAL_FRAME_AND_HANG, HALF_OPEN
    }

    /** What one phase measured. */
    static final class Phase {
        final Mode mode;
        final List<Long> latenciesMillis = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger healthSamples = new AtomicInteger();
        final List<String> healthFailures = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger clients = new AtomicInteger();
        final Map<String, AtomicInteger> endings = Collections.synchronizedMap(new LinkedHashMap<>());
        long slowPolls;
        long polls;
        double maxPollBucket;
        int maxThreads;
        long maxHeapMb;

        Phase(Mode mode) {
            this.mode = mode;
        }

        long percentile(double p) {
            List<Long> sorted;
            synchronized (latenciesMillis) {
                sorted = new ArrayList<>(latenciesMillis);
            }
            if (sorted.isEmpty()) {
                return -1;
            }
            Collections.sort(sorted);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
        }

        void ended(String how) {
            endings.computeIfAbsent(how, h -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public String toString() {
            return String.format("%-24s %4d clients, loyal latency p50 %5d ms p99 %5d ms (%d), polls %d, over %.1f s: %d"
                            + " (slowest bucket <= %s s), /health %d samples %d failed, threads max %d, heap max %d MB, %s",
                    mode, clients.get(), percentile(0.5), percentile(0.99), latenciesMillis.size(), polls,
                    POLL_BOUND_SECONDS, slowPolls, maxPollBucket == Double.MAX_VALUE ? "+Inf" : maxPollBucket,
                    healthSamples.get(), healthFailures.size(), maxThreads, maxHeapMb, endings);
        }
    }

    MicroNode node;
    Api api;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> seeded = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "chaos");
        thread.setDaemon(true);
        return thread;
    });
    private final List<SocketClient> loyal = new CopyOnWriteArrayList<>();
    private final List<RawSocket> leftOpen = new CopyOnWriteArrayList<>();
    private final Map<Mode, Phase> phases = new EnumMap<>(Mode.class);
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private volatile Phase current;
    private volatile boolean stopped;
    private volatile long lastRevision = -1;
    private int idleThreads;
    private long idleHeapMb;
    private int threadsAfter;
    private long heapAfterMb;
    private Duration deadPeersClosedIn;
    private long logStart;

    @BeforeAll
    void startServerAndChaos() throws MalformedURLException {
        node = MicroNode.start(serverSettings()).awaitReady();
        logStart = node.log().toFile().length();
        api = new Api(node.base().toURL());
        for (int i = 0; i < TASKS; i++) {
            String name = "chaos-" + run + "-" + i;
            api.create(name, text(DESCRIPTION_CHARS, i));
            seeded.add(name);
        }
        lastRevision = api.awaitPublished(seeded.get(seeded.size() - 1));
        for (int i = 0; i < LOYAL; i++) {
            SocketClient client = SocketClient.connect(api.base(), "");
            loyal.add(client);
            threads.submit(() -> follow(client));
        }
        for (int i = 0; i < LONG_POLLERS; i++) {
            threads.submit(this::longPoll);
        }
        threads.submit(this::watchHealth);
        idleThreads = threads(node.pid());
        idleHeapMb = heapAfterGcMb();
        System.out.printf("chaos: idle before the writers: %d threads, heap after GC %d MB%n", idleThreads, idleHeapMb);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(threads.submit(() -> write(writer)));
        }
        try {
            for (Mode mode : Mode.values()) {
                runPhase(mode);
            }
        } finally {
            stopped = true;
            for (Future<?> writer : writers) {
                try {
                    writer.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    problems.add("writer did not stop: " + e);
                }
            }
        }
        // Every chaos client leaves; the dead ones the server should have closed already.
        leftOpen.forEach(RawSocket::abort);
        Instant left = Instant.now();
        FeedChurnChecks.eventually(Duration.ofSeconds(60), () -> threads(node.pid()) <= idleThreads + THREADS_MARGIN);
        threadsAfter = threads(node.pid());
        heapAfterMb = heapAfterGcMb();
        System.out.printf("chaos: after every chaos client left (%d s): %d threads (idle %d), heap after GC %d MB (idle %d MB)%n",
                Duration.between(left, Instant.now()).toSeconds(), threadsAfter, idleThreads, heapAfterMb, idleHeapMb);
        System.out.println("chaos: thread names after: " + threadNames(node.pid()));
        phases.values().forEach(phase -> System.out.println("chaos: " + phase));
        if (deadPeersClosedIn != null) {
            System.out.println("chaos: dead peers (half-open, partial frame) all closed by the server "
                    + deadPeersClosedIn.toSeconds() + " s after they went silent");
        }
    }

    @AfterAll
    void stopServer() {
        stopped = true;
        loyal.forEach(SocketClient::close);
        leftOpen.forEach(RawSocket::abort);
        threads.shutdownNow();
        if (node != null) {
            node.close();
        }
    }

    private void runPhase(Mode mode) {
        Phase phase = new Phase(mode);
        phases.put(mode, phase);
        Map<Double, Double> before = pollBuckets();
        current = phase;
        Instant end = Instant.now().plus(PHASE);
        List<Future<?>> clients = new ArrayList<>();
        List<RawSocket> silent = new CopyOnWriteArrayList<>();
        Instant lastSilent = Instant.now();
        while (Instant.now().isBefore(end)) {
            switch (mode) {
                case CONTROL -> pace(500);
                case RESUME_STORM -> {
                    storm(phase);
                    pace(2000);
                }
                case STOPS_READING_THEN_READS -> {
                    for (int i = 0; i < 5; i++) {
                        clients.add(threads.submit(() -> stopReadingThenRead(phase)));
                    }
                    pace(1500);
                }
                case PARTIAL_FRAME_AND_HANG -> {
                    for (int i = 0; i < 5; i++) {
                        RawSocket socket = partialFrame(phase);
                        if (socket != null) {
                            silent.add(socket);
                        }
                    }
                    lastSilent = Instant.now();
                    pace(1500);
                }
                case HALF_OPEN -> {
                    for (int i = 0; i < 5; i++) {
                        RawSocket socket = halfOpen(phase);
                        if (socket != null) {
                            silent.add(socket);
                        }
                    }
                    lastSilent = Instant.now();
                    pace(1500);
                }
            }
            sample(phase);
        }
        for (Future<?> client : clients) {
            try {
                client.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add(mode + " client did not finish: " + e);
            }
            sample(phase);
        }
        if (!silent.isEmpty()) {
            // Dead peers: the server must close them on its own (pings unanswered, or the send timeout).
            boolean closed = FeedChurnChecks.eventually(DEAD_PEER_BOUND.plusSeconds(30), () -> {
                sample(phase);
                return openWebSockets() <= LOYAL;
            });
            Duration took = Duration.between(lastSilent, Instant.now());
            deadPeersClosedIn = deadPeersClosedIn == null || took.compareTo(deadPeersClosedIn) > 0 ? took : deadPeersClosedIn;
            if (!closed || took.compareTo(DEAD_PEER_BOUND) > 0) {
                problems.add(mode + ": " + openWebSockets() + " WebSockets open " + took.toSeconds()
                        + " s after the last dead peer went silent (" + LOYAL + " loyal; bound " + DEAD_PEER_BOUND.toSeconds() + " s)");
            }
            for (RawSocket socket : silent) {
                phase.ended("closed with " + closeCodeOrNone(socket));
            }
            leftOpen.addAll(silent);
        }
        current = null;
        Map<Double, Double> after = pollBuckets();
        phase.polls = Math.round(after.getOrDefault(Double.MAX_VALUE, 0.0) - before.getOrDefault(Double.MAX_VALUE, 0.0));
        double within = after.getOrDefault(POLL_BOUND_SECONDS, 0.0) - before.getOrDefault(POLL_BOUND_SECONDS, 0.0);
        phase.slowPolls = phase.polls - Math.round(within);
        phase.maxPollBucket = after.keySet().stream().sorted()
                .filter(bound -> after.get(bound) - before.getOrDefault(bound, 0.0) >= phase.polls)
                .findFirst().orElse(Double.MAX_VALUE);
        System.out.println("chaos: " + phase);
    }

    /** {@value #STORM} clients reconnect at once with a recent {@code ?since}; each goes after a part or two. */
    private void storm(Phase phase) {
        long since = Math.max(0, lastRevision - ThreadLocalRandom.current().nextInt(1, 40));
        List<Future<?>> storm = new ArrayList<>();
        for (int i = 0; i < STORM; i++) {
            storm.add(threads.submit(() -> {
                RawSocket socket;
                try {
                    socket = RawSocket.open(api.base(), "since=" + since);
                } catch (RuntimeException e) {
                    phase.ended("could not connect");
                    return;
                }
                phase.clients.incrementAndGet();
                try {
                    socket.read(Duration.ofSeconds(30));
                    if (ThreadLocalRandom.current().nextBoolean()) {
                        socket.abort();
                        phase.ended("reset");
                    } else {
                        socket.send(RawSocket.CLOSE, new byte[]{0x03, (byte) 0xE8});
                        socket.close();
                        phase.ended("close frame");
                    }
                } catch (RuntimeException | AssertionError e) {
                    phase.ended("failed: " + e.getClass().getSimpleName());
                    socket.abort();
                }
            }));
        }
        for (Future<?> client : storm) {
            try {
                client.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add("storm client did not finish: " + e);
            }
        }
    }

    /** Reads its first part, stops reading (4 KiB receive window) for 10 to 30 s, then reads again until it is closed or idle. */
    private void stopReadingThenRead(Phase phase) {
        RawSocket socket;
        try {
            socket = RawSocket.open(api.base(), "", 4096);
        } catch (RuntimeException e) {
            phase.ended("could not connect");
            return;
        }
        phase.clients.incrementAndGet();
        try {
            socket.read(Duration.ofSeconds(30));
            pace(ThreadLocalRandom.current().nextLong(10_000, 30_000));
            phase.ended(drainUntilCloseOrQuiet(socket));
        } catch (RuntimeException | AssertionError e) {
            phase.ended("failed: " + e.getClass().getSimpleName());
        } finally {
            socket.abort();
        }
    }

    /** The upgrade, then the first 10 bytes of a 100-byte masked text frame; then nothing, not even reading. */
    private RawSocket partialFrame(Phase phase) {
        try {
            RawSocket socket = RawSocket.open(api.base(), "", 4096);
            phase.clients.incrementAndGet();
            byte[] partial = {(byte) 0x81, (byte) (0x80 | 100), 1, 2, 3, 4, 'h', 'a', 'n', 'g'};
            socket.raw(partial);
            return socket;
        } catch (RuntimeException e) {
            phase.ended("could not connect");
            return null;
        }
    }

    /** Reads its snapshot to the end, then never reads nor answers a ping again. */
    private RawSocket halfOpen(Phase phase) {
        try {
            RawSocket socket = RawSocket.open(api.base(), "", 4096);
            phase.clients.incrementAndGet();
            for (RawSocket.Frame frame = socket.read(Duration.ofSeconds(30)); frame != null
                    && frame.text().contains("\"more\":true"); frame = socket.read(Duration.ofSeconds(30))) {
                // the rest of the snapshot
            }
            return socket;
        } catch (RuntimeException | AssertionError e) {
            phase.ended("failed: " + e.getClass().getSimpleName());
            return null;
        }
    }

    /** Reads again (answering pings) until the server closes it, for at most 10 s: then it is a reader like any other. */
    private static String drainUntilCloseOrQuiet(RawSocket socket) {
        Instant end = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(end)) {
            RawSocket.Frame frame;
            try {
                frame = socket.read(Duration.ofSeconds(3));
            } catch (AssertionError quiet) {
                return "read again, still open";
            }
            if (frame == null) {
                return "dropped without close frame";
            }
            if (frame.opcode() == RawSocket.CLOSE) {
                return "closed with " + frame.closeCode();
            }
            if (frame.opcode() == RawSocket.PING) {
                socket.send(RawSocket.PONG, frame.payload());
            }
        }
        return "read again, still open";
    }

    private static String closeCodeOrNone(RawSocket socket) {
        try {
            int code = socket.readUntilClose(Duration.ofSeconds(2));
            return code < 0 ? "no close frame" : String.valueOf(code);
        } catch (AssertionError e) {
            return "nothing (still open)";
        }
    }

    /** A loyal client: reads everything, notes how long each probe write took to reach it. */
    private void follow(SocketClient client) {
        ClientBoard board = new ClientBoard();
        while (!stopped && client.isOpen()) {
            JsonObject message;
            try {
                message = client.next(Duration.ofSeconds(1));
            } catch (AssertionError nothingYet) {
                continue;
            }
            long now = System.nanoTime();
            try {
                board.apply(message);
            } catch (RuntimeException e) {
                problems.add("loyal client could not apply a message: " + e);
            }
            lastRevision = Math.max(lastRevision, board.revision());
            Phase phase = current;
            if (phase == null || !"changes".equals(message.getString("type", ""))) {
                continue;
            }
            for (JsonValue task : message.getJsonArray("tasks")) {
                Matcher probe = PROBE.matcher(task.asJsonObject().getString("message", ""));
                if (probe.find()) {
                    phase.latenciesMillis.add(TimeUnit.NANOSECONDS.toMillis(now - Long.parseLong(probe.group(1))));
                }
            }
        }
        if (!stopped) {
            problems.add("a loyal client's socket ended during the chaos");
        }
    }

    private void write(int writer) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = 0; !stopped; n++) {
            String name = seeded.get(random.nextInt(seeded.size()));
            String body = Json.createObjectBuilder().add("status", random.nextBoolean() ? "SUCCEEDED" : "FAILED")
                    .add("message", "probe t" + System.nanoTime() + " " + writer + "/" + n + " " + text(random.nextInt(100, 1500), n))
                    .build().toString();
            try {
                HttpResponse<String> response = api.send("PUT", "api/tasks/by-name?name=" + Api.encode(name), "application/json", body);
                if (response.statusCode() != 200 && response.statusCode() != 503) {
                    problems.add("writer " + writer + " got " + response.statusCode());
                }
            } catch (RuntimeException e) {
                problems.add("writer " + writer + ": " + e);
            }
            pace(100);
        }
    }

    private void longPoll() {
        ClientBoard board = new ClientBoard();
        while (!stopped) {
            long held = board.revision();
            try {
                HttpResponse<String> response = api.feed(held < 0 ? "" : "since=" + held + "&wait=5");
                if (response.statusCode() == 200) {
                    board.apply(Api.object(response.body()));
                }
            } catch (RuntimeException e) {
                if (!stopped) {
                    problems.add("long-poller: " + e);
                    pace(500);
                }
            }
        }
    }

    /** {@code /health} every 500 ms, as a load balancer asks it: 200 within 2 s, or it counts as failed. */
    private void watchHealth() {
        while (!stopped) {
            Phase phase = current;
            long started = System.nanoTime();
            String failure = null;
            try {
                HttpResponse<String> health = api.send(api.request("GET", "health", null, null).timeout(Duration.ofSeconds(2)));
                if (health.statusCode() != 200) {
                    failure = health.statusCode() + " " + health.body();
                }
            } catch (RuntimeException e) {
                failure = e.toString();
            }
            if (phase != null) {
                phase.healthSamples.incrementAndGet();
                if (failure != null && phase.healthFailures.isEmpty()) {
                    threadDump(phase.mode);
                }
                if (failure != null) {
                    phase.healthFailures.add(failure + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
                }
            }
            pace(500);
        }
    }

    private void sample(Phase phase) {
        phase.maxThreads = Math.max(phase.maxThreads, threads(node.pid()));
        try {
            Scrape metrics = Scrape.parse(api.send(api.request("GET", "metrics", null, null).timeout(Duration.ofSeconds(5))).body());
            phase.maxHeapMb = Math.max(phase.maxHeapMb, Math.round(metrics.valueOrZero("taskpulse_jvm_heap_used_bytes") / 1048576));
        } catch (RuntimeException e) {
            phase.ended("/metrics failed: " + e.getClass().getSimpleName());
        }
    }

    /** The poll-duration histogram: cumulative count by upper bound (+Inf as Double.MAX_VALUE). */
    private Map<Double, Double> pollBuckets() {
        Scrape metrics = Scrape.parse(api.send(api.request("GET", "metrics", null, null).timeout(Duration.ofSeconds(30))).body());
        Map<Double, Double> buckets = new LinkedHashMap<>();
        for (Scrape.Sample sample : metrics.samples()) {
            if (sample.name().equals("taskpulse_poll_duration_seconds_bucket")) {
                String le = sample.labels().get("le");
                buckets.put(le.equals("+Inf") ? Double.MAX_VALUE : Double.parseDouble(le), sample.value());
            }
        }
        return buckets;
    }

    private int openWebSockets() {
        Scrape metrics = Scrape.parse(api.send(api.request("GET", "metrics", null, null).timeout(Duration.ofSeconds(5))).body());
        return (int) metrics.valueOrZero("taskpulse_sessions_open", "transport", "websocket");
    }

    /** What the server's threads were doing when /health first failed in a phase: target/chaos-jstack-MODE.txt. */
    private void threadDump(Mode mode) {
        Path file = Path.of(System.getProperty("it.tmp", "target"), "chaos-jstack-" + mode + ".txt");
        try {
            Process dump = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    String.valueOf(node.pid())).redirectErrorStream(true).redirectOutput(file.toFile()).start();
            dump.waitFor(30, TimeUnit.SECONDS);
            System.out.println("chaos: /health failed during " + mode + "; thread dump in " + file);
        } catch (IOException e) {
            System.out.println("chaos: no thread dump: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long heapAfterGcMb() {
        try {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(node.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            gc.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Scrape metrics = Scrape.parse(api.send("GET", "metrics", null, null).body());
        return Math.round(metrics.valueOrZero("taskpulse_jvm_heap_used_bytes") / 1048576);
    }

    @Test
    @Order(1)
    void noClientDelaysThePollNorHealth() {
        List<String> slow = phases.values().stream()
                .filter(phase -> phase.slowPolls > 0 || !phase.healthFailures.isEmpty())
                .map(phase -> phase.mode + ": " + phase.slowPolls + " of " + phase.polls + " polls over " + POLL_BOUND_SECONDS
                        + " s, /health failed " + phase.healthFailures.size() + " of " + phase.healthSamples.get()
                        + " times " + phase.healthFailures.stream().limit(3).toList())
                .toList();
        assertTrue(slow.isEmpty(), () -> "clients delayed the poller or /health:\n  " + String.join("\n  ", slow));
    }

    @Test
    @Order(2)
    void loyalClientsKeepTheirLatency() {
        List<String> slow = phases.values().stream()
                .filter(phase -> phase.percentile(0.99) > LOYAL_P99_BOUND_MILLIS || phase.latenciesMillis.isEmpty())
                .map(Phase::toString).toList();
        assertTrue(slow.isEmpty(), () -> "loyal clients' p99 over " + LOYAL_P99_BOUND_MILLIS + " ms (or no probe came):\n  "
                + String.join("\n  ", slow));
    }

    @Test
    @Order(3)
    void deadPeersAreClosedWithinTwoPingIntervalsAndNothingElseWentWrong() {
        assertTrue(problems.isEmpty(), () -> problems.size() + " problems:\n  "
                + problems.stream().limit(10).collect(Collectors.joining("\n  ")));
    }

    @Test
    @Order(4)
    void threadsComeBackOnceTheClientsLeft() {
        assertTrue(threadsAfter <= idleThreads + THREADS_MARGIN, () -> "the server had " + idleThreads
                + " threads before the chaos and still " + threadsAfter + " after every chaos client left: "
                + threadNames(node.pid()));
    }

    @Test
    @Order(5)
    void theFeedStillWorksAndNeverBroke() {
        String log;
        try {
            byte[] bytes = Files.readAllBytes(node.log());
            log = new String(bytes, (int) Math.min(logStart, bytes.length), (int) (bytes.length - Math.min(logStart, bytes.length)),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher broken = BROKEN_FEED.matcher(log);
        assertTrue(!broken.find(), () -> "the server log says the feed broke: "
                + log.substring(Math.max(0, broken.start() - 300), Math.min(log.length(), broken.end() + 600)));
        String name = seeded.get(0);
        String message = "after the chaos " + UUID.randomUUID();
        try (SocketClient fresh = SocketClient.connect(api.base(), "")) {
            fresh.next();
            api.report(name, "FAILED", message);
            fresh.nextMatching(next -> next.toString().contains(message));
        }
    }

    private static int threads(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static Map<String, Integer> threadNames(long pid) {
        Map<String, Integer> names = new java.util.TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    names.merge(Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", ""), 1, Integer::sum);
                } catch (IOException ended) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return names;
    }

    /** Default ping and send timeout: what an operator runs. Room for every client on loopback. */
    private static String[] serverSettings() {
        String target = System.getProperty("it.tmp", "target");
        List<String> settings = new ArrayList<>(List.of(
                "-Dtaskpulse.websocket.per-address=1000",
                "-Dtaskpulse.write.token=" + System.getProperty("it.write.token", "")));
        Path derby = Path.of(target, "derby-chaos");
        deleteTree(derby);
        settings.add("-Dtaskpulse.db.url=");
        settings.add("-Dderby.system.home=" + derby);
        settings.add("-Dderby.stream.error.file=" + Path.of(target, "derby-chaos.log"));
        return settings.toArray(String[]::new);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(int length, long seed) {
        StringBuilder text = new StringBuilder().append(seed).append(' ');
        while (text.length() < length) {
            text.append("step 3 of 7 done, retrying the upload to the archive; \u4EFB\u52A1\u72B6\u6001 ok; ");
        }
        return text.substring(0, length);
    }

    /** A pacing pause of the test's own loops (waits for conditions are bounded polls). */
    private static void pace(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
