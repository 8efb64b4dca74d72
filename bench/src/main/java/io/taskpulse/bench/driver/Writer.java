package io.taskpulse.bench.driver;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Reports changes at a steady rate, one at a time (in batches above {@value #BATCH_ABOVE}/s), so a task's stamps grow
 * with commit order. Even-numbered hot tasks are
 * reported through the API (PUT …/status), odd ones by a direct SQL UPDATE, as the two kinds of scripts do; each
 * message is {@code bench:<task>:<epoch µs taken just before the write>}, so latencies include the write itself.
 * For the floor, a change is a {@code POST /bench-baselines/floor} instead. On embedded Derby, which no other
 * process can open, every change goes through the API ({@link Mode#API_ONLY}).
 */
final class Writer implements AutoCloseable {

    enum Mode { API_AND_SQL, API_ONLY, SQL_ONLY, FLOOR }

    private final Server server;
    private final Database database;
    private final HttpClient http;
    private final int hotTasks;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "writer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong tick = new AtomicLong();
    final LongAdder apiWrites = new LongAdder();
    final LongAdder sqlWrites = new LongAdder();
    final LongAdder failures = new LongAdder();
    /** Broadcasts the floor was asked for at the writer's rate (not the probes'). */
    final LongAdder floorWrites = new LongAdder();
    private ScheduledFuture<?> running;
    /**
     * The longest one HTTP request or SQL statement of the writer may take. A tick can hold one of each (a batch's
     * bulk request and its SQL transaction run side by side, the request is awaited after), so {@link #stop} waits
     * for twice this and a margin: an overloaded server (10,000 tutorial pollers) made a write outlast a wait of
     * exactly this long and the whole run stopped there (2026-12-07 19:34).
     */
    static final int WRITE_TIMEOUT_SECONDS = 30;
    static final int FLOOR_IN_FLIGHT = 64;
    private final Semaphore floorSlots = new Semaphore(FLOOR_IN_FLIGHT);

    Writer(Server server, Database database, HttpClient http, int hotTasks) {
        this.server = server;
        this.database = database;
        this.http = http;
        this.hotTasks = hotTasks;
    }

    /** Changes written so far, both ways. */
    long writes() {
        return apiWrites.sum() + sqlWrites.sum();
    }

    static String taskName(int index) {
        return String.format("bench-%06d", index);
    }

    /**
     * Above {@value #BATCH_ABOVE}/s the writer batches, as a CI system or a fleet at :00 does: a tick every
     * {@value #BATCH_TICK_MILLIS} ms writes the changes due by then, the API's in one bulk report
     * ({@code POST /api/reports}) and the SQL ones in one transaction, both at once (they change different tasks), at
     * most one change per hot task a tick (so a task's stamps still grow with commit order). One at a time, a change through the API costs the writer a
     * round trip and the server a transaction: about 130 a second, short of the sweep's 1,000.
     */
    static final double BATCH_ABOVE = 100;
    static final long BATCH_TICK_MILLIS = 10;

    void start(Mode mode, double perSecond) {
        if (mode == Mode.FLOOR || perSecond <= BATCH_ABOVE) {
            long period = Math.max(1, Math.round(1_000_000 / perSecond));
            running = timer.scheduleAtFixedRate(() -> writeOne(mode), 0, period, TimeUnit.MICROSECONDS);
            return;
        }
        long started = System.nanoTime();
        long[] written = {0};
        int perTick = mode == Mode.SQL_ONLY ? hotTasks / 2 : hotTasks; // SQL_ONLY writes the odd tasks only
        running = timer.scheduleAtFixedRate(() -> {
            long due = (long) ((System.nanoTime() - started) / 1e9 * perSecond) - written[0];
            int count = (int) Math.min(due, perTick);
            if (count > 0) {
                written[0] += count;
                writeBatch(mode, count);
            }
        }, 0, BATCH_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** {@code count} changes to as many hot tasks, the next in the writer's turn: the API's in one request, the SQL ones in one transaction. */
    private void writeBatch(Mode mode, int count) {
        try {
            StringBuilder bulk = new StringBuilder("[");
            int apiItems = 0;
            List<String[]> direct = new ArrayList<>();
            long apiStamp = Clock.micros();
            for (int i = 0; i < count; i++) {
                long n = tick.getAndIncrement();
                int task = mode == Mode.SQL_ONLY ? (int) (2 * (n % (hotTasks / 2)) + 1) : (int) (n % hotTasks);
                String status = (n / hotTasks) % 2 == 0 ? "FAILED" : "SUCCEEDED";
                if (mode == Mode.API_ONLY || (mode == Mode.API_AND_SQL && task % 2 == 0)) {
                    bulk.append(apiItems++ == 0 ? "" : ",").append("{\"name\":\"").append(taskName(task))
                            .append("\",\"status\":\"").append(status).append("\",\"message\":\"")
                            .append(Receiver.TOKEN).append(task).append(':').append(apiStamp).append("\"}");
                } else {
                    direct.add(new String[]{taskName(task), status, Receiver.TOKEN + task + ":"});
                }
            }
            // the two halves touch different tasks: the bulk request is in flight while the SQL transaction runs
            CompletableFuture<HttpResponse<String>> api = apiItems == 0 ? null
                    : http.sendAsync(HttpRequest.newBuilder(server.http("/api/reports")).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS)).POST(HttpRequest.BodyPublishers.ofString(bulk.append(']').toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            try {
                if (!direct.isEmpty()) {
                    long sqlStamp = Clock.micros();
                    for (String[] row : direct) {
                        row[2] += sqlStamp;
                    }
                    database.reportAll(direct);
                    sqlWrites.add(direct.size());
                }
            } catch (SQLException | RuntimeException e) {
                failures.add(direct.size());
            } finally {
                // whatever the SQL half did, the bulk request is awaited: the next tick's must not overtake it
                if (api != null) {
                    HttpResponse<String> response = api.join();
                    if (response.statusCode() < 300) {
                        apiWrites.add(apiItems);
                    } else {
                        failures.add(apiItems);
                    }
                }
            }
        } catch (RuntimeException e) {
            failures.increment();
        }
    }

    void stop() {
        if (running != null) {
            running.cancel(false);
            running = null;
        }
        // wait for a write in progress: the timer runs one task at a time
        try {
            timer.submit(() -> { }).get(2L * WRITE_TIMEOUT_SECONDS + 15, TimeUnit.SECONDS);
            // and for the floor's requests in flight: their answers (or timeouts) belong to this burst, not the next
            if (floorSlots.tryAcquire(FLOOR_IN_FLIGHT, WRITE_TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
                floorSlots.release(FLOOR_IN_FLIGHT);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One change through the API, from the caller's thread, carrying the given stamp. */
    void writeApiStamped(int task, long stamp) {
        put(task, stamp);
    }

    /** One floor broadcast, from the caller's thread, carrying the given stamp. */
    void floorStamped(long stamp) {
        post(stamp);
    }

    private void writeOne(Mode mode) {
        // an exception escaping a scheduled task cancels it: count and go on
        try {
            long n = tick.getAndIncrement();
            long stamp = Clock.micros();
            switch (mode) {
                case FLOOR -> postAsync(stamp);
                case API_ONLY -> put((int) (n % hotTasks), stamp);
                case SQL_ONLY -> {
                    int task = (int) (2 * (n % (hotTasks / 2)) + 1);
                    database.report(taskName(task), n % 2 == 0 ? "FAILED" : "SUCCEEDED", Receiver.TOKEN + task + ":" + stamp);
                    sqlWrites.increment();
                }
                case API_AND_SQL -> {
                    int task = (int) (n % hotTasks);
                    if (task % 2 == 0) {
                        put(task, stamp);
                    } else {
                        database.report(taskName(task), (n / hotTasks) % 2 == 0 ? "FAILED" : "SUCCEEDED",
                                Receiver.TOKEN + task + ":" + stamp);
                        sqlWrites.increment();
                    }
                }
            }
        } catch (RuntimeException | SQLException e) {
            failures.increment();
        }
    }

    private void put(int task, long stamp) {
        String status = (stamp / 1000) % 2 == 0 ? "FAILED" : "SUCCEEDED";
        String body = "{\"status\":\"" + status + "\",\"message\":\"" + Receiver.TOKEN + task + ":" + stamp + "\"}";
        send(HttpRequest.newBuilder(server.http("/api/tasks/by-name/" + taskName(task) + "/status"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        apiWrites.increment();
    }

    /**
     * The floor's POST answers once its broadcast to every client is written, which at 1,000 clients takes about
     * 100 ms: sent one at a time the floor could not be asked for more than about 10 broadcasts a second. So the
     * writer's ticks do not wait for it: up to {@value #FLOOR_IN_FLIGHT} are in flight, a tick that finds none free
     * is skipped (not counted), and {@link #floorWrites} counts the broadcasts asked for.
     */
    private void postAsync(long stamp) {
        if (!floorSlots.tryAcquire()) {
            return;
        }
        floorWrites.increment();
        http.sendAsync(floorRequest(stamp), HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            floorSlots.release();
            if (failure != null || response.statusCode() >= 300) {
                failures.increment();
            }
        });
    }

    private HttpRequest floorRequest(long stamp) {
        return HttpRequest.newBuilder(server.http("/bench-baselines/floor?stamp=" + Receiver.TOKEN + "0:" + stamp))
                .timeout(Duration.ofSeconds(WRITE_TIMEOUT_SECONDS)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private void post(long stamp) {
        send(floorRequest(stamp));
    }

    private void send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
