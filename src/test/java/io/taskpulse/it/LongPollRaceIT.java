package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: hundreds of held long-polls whose waits end while changes stream in. Every request is answered, once,
 * with 200 (the changes, valid JSON) or 304, well within its wait plus the poll interval; none hangs, and no answer
 * lands in another request's response (the pollers reuse keep-alive connections, where a stray late write would
 * show up as a broken or foreign answer). Meanwhile clients vanish in the middle of their wait. Afterwards the
 * server holds no long-poll any more.
 */
class LongPollRaceIT extends DeployedIT {

    private static final int POLLERS = 200;
    private static final int ROUNDS = 12;
    private static final int VANISHING = 60;
    private static final int WAIT_SECONDS = 1;
    /** Generous: a held request is answered within its wait plus a poll (1 s in the ITs); this is for a loaded box. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(WAIT_SECONDS + 20);

    @Test
    void everyHeldLongPollIsAnsweredOnceWhileChangesStreamIn() throws Exception {
        String name = "race-" + UUID.randomUUID().toString().substring(0, 8);
        api.create(name, "changes while long-polls time out");
        long start = api.awaitPublished(name);

        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger reports = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            String[] statuses = {"NOT_RUN", "SUCCEEDED", "FAILED"};
            while (polling.get()) {
                // A change about every wait, at irregular moments. The feed publishes changes on the poller's tick
                // (every second here), and a poll that got nothing sends its next request right after a tick, with a
                // 1 s wait: its wait runs out on a later tick, just as a change may be published. That is the race.
                api.report(name, statuses[reports.get() % 3], "report " + reports.incrementAndGet());
                long pause = ThreadLocalRandom.current().nextLong(300, 2000);
                CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS)).join();
            }
        });

        Queue<String> wrong = new ConcurrentLinkedQueue<>();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> pollers = new ArrayList<>();
        for (int p = 0; p < POLLERS; p++) {
            pollers.add(poll(start, ROUNDS, wrong, statuses));
        }
        List<CompletableFuture<Void>> vanishers = new ArrayList<>();
        for (int v = 0; v < VANISHING; v++) {
            vanishers.add(CompletableFuture.runAsync(() -> vanish(start)));
        }
        CompletableFuture.allOf(pollers.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        CompletableFuture.allOf(vanishers.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
        polling.set(false);
        writer.get(1, TimeUnit.MINUTES);

        assertEquals(List.of(), List.copyOf(wrong), "answers that were missing, late, broken or not ours");
        int answered = statuses.values().stream().mapToInt(AtomicInteger::get).sum();
        assertEquals(POLLERS * ROUNDS, answered, "every held request answered once: " + statuses);
        assertTrue(statuses.containsKey(200) && statuses.containsKey(304),
                "both kinds of ending happened (changes and waits that ran out): " + statuses);
        api.await("no held long-poll left on the server", this::heldLongPolls, held -> held == 0);
        System.out.printf("LongPollRaceIT: %d long-polls answered %s while %d reports streamed in%n",
                answered, statuses, reports.get());
    }

    /** One client's loop: since=R&wait=1, ROUNDS times, following the ETag. */
    private CompletableFuture<Void> poll(long since, int rounds, Queue<String> wrong, Map<Integer, AtomicInteger> statuses) {
        if (rounds == 0) {
            return CompletableFuture.completedFuture(null);
        }
        long sent = System.nanoTime();
        return api.sendAsync(api.request("GET", "api/feed?since=" + since + "&wait=" + WAIT_SECONDS, null, null)
                        .timeout(ANSWER_WITHIN))
                .handle((response, failure) -> {
                    long next = since;
                    if (failure != null) {
                        wrong.add("since=" + since + ": no answer within " + ANSWER_WITHIN + ": " + failure);
                    } else {
                        statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                        next = check(since, response, wrong);
                    }
                    return next;
                })
                .thenCompose(next -> poll(next, rounds - 1, wrong, statuses));
    }

    private static long check(long since, HttpResponse<String> response, Queue<String> wrong) {
        String etag = response.headers().firstValue("ETag").orElse("");
        if (!etag.matches("\"\\d+\"")) {
            wrong.add("since=" + since + ": " + response.statusCode() + " without an ETag: " + response.body());
            return since;
        }
        long revision = Long.parseLong(etag.substring(1, etag.length() - 1));
        if (response.statusCode() == 304) {
            if (revision != since) {
                wrong.add("since=" + since + ": 304 at another revision " + revision);
            }
            return since;
        }
        if (response.statusCode() != 200) {
            wrong.add("since=" + since + ": " + response.statusCode() + " " + response.body());
            return since;
        }
        try {
            JsonObject message = Api.object(response.body());
            if (message.getJsonNumber("revision").longValue() != revision || revision <= since) {
                wrong.add("since=" + since + ": ETag " + etag + " with a message at " + message.get("revision"));
            }
        } catch (RuntimeException e) {
            wrong.add("since=" + since + ": not a feed message: " + response.body());
        }
        return revision;
    }

    /** A client that holds a long-poll, then goes away (a plain close, or a reset) before it is answered. */
    private void vanish(long since) {
        try (Socket socket = new Socket(api.base().getHost(), api.base().getPort())) {
            String request = "GET " + api.base().getPath() + "api/feed?since=" + since + "&wait=" + WAIT_SECONDS
                    + " HTTP/1.1\r\nHost: " + api.base().getHost() + ":" + api.base().getPort() + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long pause = ThreadLocalRandom.current().nextLong(100, 1200);
            CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS)).join();
            if (ThreadLocalRandom.current().nextBoolean()) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private double heldLongPolls() {
        HttpResponse<String> response = api.send("GET", "metrics", null, null);
        return Scrape.parse(response.body()).value("taskpulse_sessions_open", "transport", "longpoll");
    }
}
