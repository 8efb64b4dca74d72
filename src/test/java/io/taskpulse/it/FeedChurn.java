package io.taskpulse.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 12's load, and every way a network drops a WebSocket client, against one server for a given time.
 * <ul>
 * <li>{@value #READERS} well-behaved readers ({@link SocketClient} + {@link ClientBoard}, drained all the time). Every
 * step ({@value #STEP_MILLIS} ms) {@value #READER_ENDS_PER_STEP} of them go: mostly by a TCP reset without a close
 * frame, some by a normal close; half come back with {@code ?since=} their revision and keep their board, as the page
 * does, the others are replaced by a fresh client. They go at random moments: during changes, heartbeats, snapshots
 * and catch-ups.</li>
 * <li>{@value #RAW_PER_STEP} raw clients per step, in turn: one that resets after a few parts of its snapshot, one
 * that sends a close frame in the middle of a multi-part message, one that goes silent after its snapshot (half-open:
 * reads nothing, answers no ping, never closes), one that stops reading with a 4 KiB receive buffer. The silent ones
 * are looked at {@value #SILENT_SECONDS} s later: the server must have closed them (4000 or 4001).</li>
 * <li>{@value #WRITERS} writers reporting statuses with long messages as fast as the API answers, creating and
 * deleting a few tasks of their own; they pause {@value #QUIET_MILLIS} ms in every {@value #CYCLE_MILLIS}, so that
 * heartbeats go out too.</li>
 * <li>{@value #LONG_POLLERS} long-pollers looping {@code GET /api/feed?since=R&wait=5}, each with its board.</li>
 * </ul>
 * Meanwhile it watches the server log for the feed breaking and {@code /health}, and notes when each first went wrong.
 * Everything runs on loopback; every wait is bounded.
 */
final class FeedChurn implements AutoCloseable {

    static final int READERS = 30;
    static final int READER_ENDS_PER_STEP = 3;
    static final int RAW_PER_STEP = 2;
    static final long STEP_MILLIS = 150;
    /**
     * Clients going or coming at once, at most: a step that finds this many still busy adds none, so the churn runs at
     * issue 12's pace where the machine allows it and at what the server can answer where it does not (on a loaded
     * 2-core box, about 10 connections a second).
     */
    static final int IN_FLIGHT = 3;
    static final int WRITERS = 2;
    static final int LONG_POLLERS = 3;
    static final int SILENT_SECONDS = 12;
    static final long CYCLE_MILLIS = 10_000;
    static final long QUIET_MILLIS = 2_500;
    /** After the log shows the feed broke, the churn goes on this long (to show what follows), not its whole length. */
    static final Duration AFTER_BREAK = Duration.ofSeconds(10);
    /** What the server logs when the feed's subscriber list or revision chain broke (issue 12). */
    static final Pattern BROKEN_FEED = Pattern.compile("ConcurrentModificationException|does not follow revision");
    /** The start of a record in Payara's log: its time, and what follows its level (the message, or "[[" before it). */
    private static final Pattern LOG_RECORD = Pattern.compile("^\\[(\\d{4}-[^\\]]+)\\].*\\[levelValue: \\d+\\] ?(.*)$");

    private static final String[] STATUSES = {"NOT_RUN", "SUCCEEDED", "FAILED"};
    private static final String FILLER = "step 3 of 7 done, retrying the upload to the archive; \u4EFB\u52A1\u72B6\u6001 ok; ";

    /** How a raw client misbehaves. */
    enum Raw {
        RESET_MID_SNAPSHOT, CLOSE_FRAME_MID_MESSAGE, HALF_OPEN, STOPS_READING
    }

    private final MicroNode node;
    private final Api api;
    private final URI base;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> seeded = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "churn");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Reader> readers = new CopyOnWriteArrayList<>();
    /** What readers that are gone saw of broken promises (their boards are let go: a soak has tens of thousands). */
    private final List<String> goneViolations = Collections.synchronizedList(new ArrayList<>());
    private final List<LongPoller> longPollers = new CopyOnWriteArrayList<>();
    private final Queue<Silent> silent = new ConcurrentLinkedQueue<>();
    /** What the steps started and may still be doing: readers going and coming, raw clients. */
    private final List<Future<?>> pending = new CopyOnWriteArrayList<>();
    private final AtomicInteger joining = new AtomicInteger();
    private final List<Future<?>> writers = new ArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentSkipListMap<>();
    private final Map<Integer, AtomicInteger> silentCloseCodes = new ConcurrentSkipListMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger nextReaderId = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final long logStart;
    private long logRead;

    private volatile boolean loadStopped;
    private volatile boolean closed;
    private volatile Instant started;
    private volatile Duration brokenAfter;
    private volatile Duration unhealthyAfter;
    private volatile String unhealthyBody;

    FeedChurn(MicroNode node, Api api) {
        this.node = node;
        this.api = api;
        this.base = api.base();
        this.logStart = logLength();
        this.logRead = logStart;
    }

    /** A board big enough that a snapshot goes out in many parts of about 6 KiB. */
    void seed(int tasks, int descriptionChars) {
        for (int i = 0; i < tasks; i++) {
            String name = "churn-" + run + "-" + i;
            api.create(name, text(descriptionChars, i));
            seeded.add(name);
        }
        api.awaitPublished(seeded.get(seeded.size() - 1));
    }

    /** The name of a task that was there from the start. */
    String seededName(int index) {
        return seeded.get(index);
    }

    /** Runs the churn for {@code length} (less when the feed breaks), calling {@code every} each {@code period}. */
    void run(Duration length, Duration period, Runnable every) {
        if (started == null) {
            started = Instant.now();
            start();
        }
        Instant end = Instant.now().plus(length);
        Instant nextCall = Instant.now().plus(period);
        Instant nextLook = Instant.now();
        for (long step = 0; Instant.now().isBefore(end); step++) {
            step(step);
            if (!Instant.now().isBefore(nextLook)) {
                lookAtLogAndHealth();
                nextLook = Instant.now().plusSeconds(1);
                if (brokenAfter != null && Duration.between(started, Instant.now()).compareTo(brokenAfter.plus(AFTER_BREAK)) > 0) {
                    count("churn ended early: the feed broke");
                    break;
                }
            }
            if (!Instant.now().isBefore(nextCall)) {
                every.run();
                nextCall = Instant.now().plus(period);
            }
            pace(STEP_MILLIS);
        }
        lookAtLogAndHealth();
    }

    private void start() {
        for (int i = 0; i < READERS; i++) {
            addReader();
        }
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(threads.submit(() -> write(writer)));
        }
        for (int p = 0; p < LONG_POLLERS; p++) {
            LongPoller poller = new LongPoller(p);
            longPollers.add(poller);
            threads.submit(() -> poller.loop());
        }
        threads.submit(this::drainReaders);
    }

    /** One step: some readers go (and come back or are replaced), some raw clients come, due silent ones are looked at. */
    private void step(long step) {
        pending.removeIf(Future::isDone);
        if (pending.size() >= IN_FLIGHT) {
            // The server (or this machine) is behind: more clients at once would only measure the backlog.
            count("steps skipped: " + IN_FLIGHT + " clients still going or coming");
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Reader> live = List.copyOf(readers);
        for (int i = 0; i < READER_ENDS_PER_STEP && !live.isEmpty(); i++) {
            Reader reader = live.get(random.nextInt(live.size()));
            if (!reader.busy.compareAndSet(false, true)) {
                continue; // still going or coming back from an earlier step
            }
            boolean reset = random.nextInt(10) < 7;
            boolean resume = random.nextBoolean();
            pending.add(threads.submit(() -> {
                try {
                    reader.end(reset);
                    if (resume) {
                        reader.resume();
                    } else {
                        reader.retire();
                    }
                } finally {
                    reader.busy.set(false);
                }
            }));
        }
        for (int missing = READERS - readers.size() - joining.get(); missing > 0; missing--) {
            joining.incrementAndGet();
            pending.add(threads.submit(() -> {
                try {
                    addReader();
                } finally {
                    joining.decrementAndGet();
                }
            }));
        }
        Raw[] kinds = Raw.values();
        for (int i = 0; i < RAW_PER_STEP; i++) {
            Raw kind = kinds[(int) ((step * RAW_PER_STEP + i) % kinds.length)];
            pending.add(threads.submit(() -> raw(kind)));
        }
        long now = System.nanoTime();
        for (Silent due = silent.peek(); due != null && due.dueNanos <= now; due = silent.peek()) {
            Silent client = due;
            silent.remove(client);
            pending.add(threads.submit(() -> reap(client)));
        }
    }

    /** Stops writers and churn; readers and long-pollers stay, silent clients are looked at now. */
    void stopLoad() {
        loadStopped = true;
        for (Future<?> writer : writers) {
            wait(writer, Duration.ofSeconds(120), "writer");
        }
        for (Future<?> started : pending) {
            wait(started, Duration.ofSeconds(60), "a client going or coming");
        }
        List<Future<?>> reaps = new ArrayList<>();
        for (Silent due = silent.poll(); due != null; due = silent.poll()) {
            Silent last = due;
            reaps.add(threads.submit(() -> reap(last)));
        }
        for (Future<?> reap : reaps) {
            wait(reap, Duration.ofSeconds(60), "silent client");
        }
        lookAtLogAndHealth();
    }

    private void addReader() {
        Reader reader = new Reader(nextReaderId.getAndIncrement());
        if (reader.connect("")) {
            readers.add(reader);
        }
    }

    private void drainReaders() {
        while (!closed) {
            for (Reader reader : readers) {
                reader.drain();
            }
            pace(20);
        }
    }

    private void write(int writer) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Deque<String> own = new ArrayDeque<>();
        for (int n = 0; !loadStopped; n++) {
            if (quietSpell()) {
                pace(100);
                continue;
            }
            try {
                if (n % 25 == 0) {
                    String name = "churn-" + run + "-w" + writer + "-" + n;
                    String body = Json.createObjectBuilder().add("name", name).add("description", text(300, n)).build().toString();
                    if (write("POST", "api/tasks", body, 201, "writer " + writer + " creating " + name)) {
                        own.add(name);
                    }
                    if (own.size() > 5) {
                        String gone = own.removeFirst();
                        write("DELETE", "api/tasks/by-name?name=" + Api.encode(gone), null, 204, "writer " + writer + " deleting " + gone);
                    }
                } else {
                    String name = seeded.get(random.nextInt(seeded.size()));
                    String body = Json.createObjectBuilder().add("status", STATUSES[random.nextInt(STATUSES.length)])
                            .add("message", "report " + writer + "/" + n + ": " + text(random.nextInt(100, 1500), n))
                            .build().toString();
                    write("PUT", "api/tasks/by-name?name=" + Api.encode(name), body, 200, "writer " + writer + " reporting " + name);
                }
            } catch (RuntimeException e) {
                problem("writer " + writer + ": " + e);
                pace(200);
            }
        }
    }

    /**
     * One write as a script does it: a 503 with Retry-After (Derby gave up waiting for a lock and rolled back) is tried
     * again after the time it names, up to 3 times.
     * @return whether it was answered as expected
     */
    private boolean write(String method, String path, String body, int expected, String what) {
        HttpResponse<String> response = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            response = api.send(method, path, body == null ? null : "application/json", body);
            count("write answered " + response.statusCode());
            if (response.statusCode() != 503) {
                break;
            }
            pace(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
        }
        if (response.statusCode() != expected) {
            problem(what + " answered " + response.statusCode() + " instead of " + expected + ": " + response.body());
            return false;
        }
        return true;
    }

    /**
     * The writers pause {@value #QUIET_MILLIS} ms in every {@value #CYCLE_MILLIS}: with nothing to send the server sends
     * heartbeats, and clients drop during those too.
     */
    private boolean quietSpell() {
        return Duration.between(started, Instant.now()).toMillis() % CYCLE_MILLIS >= CYCLE_MILLIS - QUIET_MILLIS;
    }

    private void raw(Raw kind) {
        if (loadStopped) {
            return;
        }
        RawSocket socket;
        try {
            socket = RawSocket.open(base, "", kind == Raw.STOPS_READING ? 4096 : 0);
            connections.incrementAndGet();
            count("connected " + kind);
        } catch (RuntimeException e) {
            problem(kind + " client could not connect: " + e);
            return;
        }
        try {
            switch (kind) {
                case RESET_MID_SNAPSHOT -> {
                    count(readParts(socket, 1 + ThreadLocalRandom.current().nextInt(3)) ? "reset mid-message" : "reset between messages");
                    socket.abort();
                }
                case CLOSE_FRAME_MID_MESSAGE -> {
                    count(readParts(socket, 1 + ThreadLocalRandom.current().nextInt(3)) ? "close frame mid-message" : "close frame between messages");
                    socket.send(RawSocket.CLOSE, new byte[]{0x03, (byte) 0xE8, 'b', 'y', 'e'});
                    int code = socket.readUntilClose(Duration.ofSeconds(20));
                    count("close frame mid-message answered with " + code);
                    socket.close();
                }
                case HALF_OPEN -> {
                    readParts(socket, Integer.MAX_VALUE);
                    silent.add(new Silent(socket, kind, Instant.now()));
                }
                case STOPS_READING -> {
                    readParts(socket, 1);
                    silent.add(new Silent(socket, kind, Instant.now()));
                }
            }
        } catch (RuntimeException | AssertionError e) {
            problem(kind + " client: " + e);
            socket.abort();
        }
    }

    /** Reads text frames until {@code most} were read or a message ended; returns whether it stopped mid-message. */
    private static boolean readParts(RawSocket socket, int most) {
        int read = 0;
        while (read < most) {
            RawSocket.Frame frame = socket.read(Api.PATIENCE);
            if (frame == null || frame.opcode() == RawSocket.CLOSE) {
                throw new AssertionError("the server closed a new client before its first message was through"
                        + (frame == null ? "" : " (" + frame.closeCode() + " " + frame.closeReason() + ")"));
            }
            if (frame.opcode() != RawSocket.TEXT) {
                continue;
            }
            read++;
            if (!frame.text().contains("\"more\":true")) {
                return false;
            }
        }
        return true;
    }

    /** A silent client's time is up: the server must have closed it by now; reads what is left to its close frame. */
    private void reap(Silent client) {
        int code;
        try {
            code = client.socket.readUntilClose(Api.PATIENCE);
        } catch (AssertionError e) {
            code = 0;
            problem(client.kind + " client opened at " + client.opened + " still open "
                    + Duration.between(client.opened, Instant.now()).toSeconds() + " s later: " + e.getMessage());
        }
        silentCloseCodes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        count(client.kind + " closed by the server with " + code);
        client.socket.close();
    }

    private void lookAtLogAndHealth() {
        if (brokenAfter == null && BROKEN_FEED.matcher(logSince(logRead)).find()) {
            brokenAfter = Duration.between(started, Instant.now());
        }
        try {
            HttpResponse<String> health = api.send("GET", "health", null, null);
            if (health.statusCode() != 200 && unhealthyAfter == null) {
                unhealthyAfter = Duration.between(started, Instant.now());
                unhealthyBody = health.statusCode() + " " + health.body();
            }
        } catch (RuntimeException e) {
            if (unhealthyAfter == null) {
                unhealthyAfter = Duration.between(started, Instant.now());
                unhealthyBody = e.toString();
            }
        }
    }

    /** The server log from {@code offset} to its last complete line; moves {@link #logRead} there. */
    private synchronized String logSince(long offset) {
        long length = logLength();
        if (length <= offset) {
            return "";
        }
        try (RandomAccessFile file = new RandomAccessFile(node.log().toFile(), "r")) {
            file.seek(offset);
            byte[] bytes = new byte[Math.toIntExact(length - offset)];
            file.readFully(bytes);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            logRead = Math.max(logRead, offset + end);
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What this run's part of the server log says about the feed breaking: each different message once, with the time
     * it first came, the first frames of its stack trace, and how often it came.
     */
    List<String> brokenLines() {
        String[] lines = logSince(logStart).split("\n");
        Map<String, String> first = new LinkedHashMap<>();
        Map<String, Integer> times = new LinkedHashMap<>();
        String header = "";
        int headerAt = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher record = LOG_RECORD.matcher(lines[i]);
            boolean starts = record.find();
            if (starts) {
                header = record.group(1) + " " + record.group(2).replace("[[", "").strip();
                headerAt = i;
            }
            if (!BROKEN_FEED.matcher(lines[i]).find()) {
                continue;
            }
            String what = starts ? record.group(2) : lines[i].strip();
            if (times.merge(what, 1, Integer::sum) > 1) {
                continue;
            }
            List<String> excerpt = new ArrayList<>(List.of(header));
            for (int j = headerAt + 1; !starts && j <= i; j++) {
                excerpt.add(lines[j].strip());
            }
            for (int j = i + 1; j < lines.length && j <= i + 4 && lines[j].strip().startsWith("at "); j++) {
                excerpt.add("  " + lines[j].strip());
            }
            first.put(what, String.join("\n    ", excerpt));
        }
        List<String> digest = new ArrayList<>();
        first.forEach((what, excerpt) -> digest.add(excerpt + (times.get(what) > 1 ? "\n    (" + times.get(what) + " times)" : "")));
        return digest;
    }

    private long logLength() {
        return node.log().toFile().length();
    }

    // What the tests look at afterwards.

    /** When the log first showed it, counted from the churn's start; null if never. */
    Duration brokenAfter() {
        return brokenAfter;
    }

    /** When /health first answered otherwise than 200, and what it said; null if never. */
    Duration unhealthyAfter() {
        return unhealthyAfter;
    }

    String unhealthyBody() {
        return unhealthyBody;
    }

    /** Readers still connected (well-behaved clients that were never ended, or came back). */
    List<Reader> readers() {
        return List.copyOf(readers);
    }

    /** Broken promises that readers which are gone saw (at most 1,000). */
    List<String> goneViolations() {
        return List.copyOf(goneViolations);
    }

    List<LongPoller> longPollers() {
        return List.copyOf(longPollers);
    }

    /** Close codes the silent clients got (0: none within the patience; -1: no close frame). */
    Map<Integer, Integer> silentCloseCodes() {
        Map<Integer, Integer> codes = new ConcurrentSkipListMap<>();
        silentCloseCodes.forEach((code, n) -> codes.put(code, n.get()));
        return codes;
    }

    /** Writes that were not answered as they should be, clients that could not connect, scripts that failed. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** WebSocket connections made so far, every kind of client. */
    long connections() {
        return connections.get();
    }

    String summary() {
        StringBuilder text = new StringBuilder("churn: ").append(connections()).append(" WebSocket connections in ")
                .append(started == null ? "-" : Duration.between(started, Instant.now()).toSeconds() + " s")
                .append(", feed broke in the log after ").append(brokenAfter == null ? "never" : brokenAfter.toSeconds() + " s")
                .append(", /health not 200 after ").append(unhealthyAfter == null ? "never" : unhealthyAfter.toSeconds() + " s (" + unhealthyBody + ")");
        counts.forEach((what, n) -> text.append("\n  ").append(what).append(": ").append(n.get()));
        longPollers.forEach(poller -> text.append("\n  long-poller ").append(poller.id).append(": ").append(poller.answers.get())
                .append(" answers, revision ").append(poller.revision()).append(", ").append(poller.staleMessages()).append(" stale"));
        synchronized (problems) {
            problems.stream().limit(10).forEach(problem -> text.append("\n  problem: ").append(problem));
        }
        return text.toString();
    }

    private void count(String what) {
        counts.computeIfAbsent(what, w -> new AtomicInteger()).incrementAndGet();
    }

    private void problem(String what) {
        count("problems");
        if (problems.size() < 200) {
            problems.add(what);
        }
    }

    @Override
    public void close() {
        loadStopped = true;
        closed = true;
        readers.forEach(reader -> reader.socket.close());
        silent.forEach(client -> client.socket.abort());
        threads.shutdownNow();
    }

    private static String text(int length, long seed) {
        StringBuilder text = new StringBuilder().append(seed).append(' ');
        while (text.length() < length) {
            text.append(FILLER);
        }
        return text.substring(0, length);
    }

    /** A pacing pause of the churn's own loops (never a wait for a condition: those are bounded polls). */
    private static void pace(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void wait(Future<?> future, Duration patience, String what) {
        try {
            future.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            problem(what + " did not finish within " + patience + ": " + e);
        }
    }

    /** A well-behaved client: answers pings, reads everything, keeps its board across reconnects. */
    final class Reader {

        final int id;
        final ClientBoard board = new ClientBoard();
        /** Being ended or coming back: a step leaves it alone. */
        final AtomicBoolean busy = new AtomicBoolean();
        private volatile SocketClient socket;
        private int connects;
        private String firstFailure;

        Reader(int id) {
            this.id = id;
        }

        boolean connect(String query) {
            try {
                SocketClient client = SocketClient.connect(base, query);
                connections.incrementAndGet();
                synchronized (this) {
                    socket = client;
                    connects++;
                }
                count(query.isEmpty() ? "connected reader" : "reconnected reader with since");
                return true;
            } catch (RuntimeException | AssertionError e) {
                problem("reader " + id + " could not connect" + (query.isEmpty() ? "" : " with " + query) + ": " + e);
                return false;
            }
        }

        /** Goes: a TCP reset without close frame, or a normal close (1000). */
        void end(boolean reset) {
            drain();
            SocketClient ending = socket;
            if (reset) {
                ending.abort();
                count("reader reset");
            } else {
                ending.close();
                count("reader closed");
            }
            // Its reading thread may be handing over one last message: once it has stopped, nothing more comes, and
            // the revision to resume from is final.
            if (!FeedChurnChecks.eventually(Duration.ofSeconds(10), () -> !ending.isOpen())) {
                problem("reader " + id + " still reading 10 s after its socket was " + (reset ? "reset" : "closed"));
            }
            drain();
        }

        /** Comes back where it left off, as the page does; a reader that never got its snapshot starts afresh. */
        void resume() {
            long held;
            synchronized (this) {
                held = board.revision();
            }
            if (!connect(held < 0 ? "" : "since=" + held)) {
                retire();
            }
        }

        /** Gone for good: only what it saw of broken promises is kept. */
        synchronized void retire() {
            readers.remove(this);
            for (String violation : board.violations()) {
                if (goneViolations.size() < 1000) {
                    goneViolations.add("reader " + id + ": " + violation);
                }
            }
        }

        synchronized void drain() {
            for (JsonObject message = socket.poll(); message != null; message = socket.poll()) {
                apply(message);
            }
        }

        /**
         * Applies messages until the board holds {@code revision} or {@code deadline} passes.
         * @return whether it got there
         */
        boolean catchUp(long revision, Instant deadline) {
            while (true) {
                synchronized (this) {
                    drain();
                    if (board.revision() >= revision) {
                        return true;
                    }
                }
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || !socket.isOpen()) {
                    return false;
                }
                JsonObject next;
                try {
                    next = socket.next(left.compareTo(Duration.ofMillis(200)) < 0 ? left : Duration.ofMillis(200));
                } catch (AssertionError nothingYet) {
                    continue;
                }
                synchronized (this) {
                    apply(next);
                }
            }
        }

        private void apply(JsonObject message) {
            count("reader got " + message.getString("type", "?") + (message.getBoolean("reset", false) ? " (reset)" : ""));
            try {
                board.apply(message);
            } catch (RuntimeException e) {
                board.violations().add("could not apply " + abbreviate(message) + ": " + e);
            }
        }

        SocketClient socket() {
            return socket;
        }

        /** How its socket ended, when it did. */
        String ending() {
            try {
                return "was closed with " + socket.awaitClose(Duration.ofSeconds(1)) + " \"" + socket.closeReason() + "\"";
            } catch (RuntimeException e) {
                return "failed: " + (e.getCause() == null ? e : e.getCause());
            }
        }

        synchronized int connects() {
            return connects;
        }
    }

    /** A client of {@code GET /api/feed?since=R&wait=5}, in a loop, with its board. */
    final class LongPoller {

        final int id;
        private final ClientBoard board = new ClientBoard();
        private final AtomicInteger answers = new AtomicInteger();

        LongPoller(int id) {
            this.id = id;
        }

        private void loop() {
            while (!closed) {
                long held = revision();
                try {
                    HttpResponse<String> response = api.feed(held < 0 ? "" : "since=" + held + "&wait=5");
                    answers.incrementAndGet();
                    if (response.statusCode() == 200) {
                        JsonObject message = Api.object(response.body());
                        synchronized (this) {
                            board.apply(message);
                        }
                    } else if (response.statusCode() != 304) {
                        problem("long-poller " + id + " got " + response.statusCode() + ": " + response.body());
                        pace(500);
                    }
                } catch (RuntimeException e) {
                    if (!closed) {
                        problem("long-poller " + id + ": " + e);
                        pace(500);
                    }
                }
            }
        }

        synchronized long revision() {
            return board.revision();
        }

        synchronized int staleMessages() {
            return board.staleMessages();
        }

        /** Its board, to look at once the churn is over (the loop goes on: read it under this poller's lock). */
        ClientBoard board() {
            return board;
        }
    }

    /** A client that went silent; the server must close it before {@link #SILENT_SECONDS} are up. */
    private static final class Silent {

        final RawSocket socket;
        final Raw kind;
        final Instant opened;
        final long dueNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(SILENT_SECONDS);

        Silent(RawSocket socket, Raw kind, Instant opened) {
            this.socket = socket;
            this.kind = kind;
            this.opened = opened;
        }
    }

    static String abbreviate(JsonObject message) {
        String text = message.toString();
        return text.length() <= 200 ? text : text.substring(0, 200) + "… (" + text.length() + " chars)";
    }
}
