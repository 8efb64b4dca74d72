package io.taskpulse.bench.driver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Baseline (a)'s clients: N browsers each asking the full list every 5 s (the tutorial's setInterval), their
 * start times spread over one period as real page loads would be. A browser whose last request is still unanswered
 * does not open another connection for the next tick (its connection limit queues it; here the tick is skipped): an
 * overloaded server then sees at most N requests, and the driver holds at most N connections. Without that bound
 * 10,000 pollers against a server answering in 15-50 s left the driver with no file descriptors (2026-12-07 20:07).
 */
final class Pollers implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "poller-timer");
        thread.setDaemon(true);
        return thread;
    });

    Pollers(HttpClient http, URI uri, int clients, long periodMillis, Receiver.Stats stats, int hotTasks) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
        for (int i = 0; i < clients; i++) {
            Receiver receiver = new Receiver(stats, hotTasks);
            Object lock = new Object();
            AtomicBoolean waiting = new AtomicBoolean();
            long offset = periodMillis * i / clients;
            timer.scheduleAtFixedRate(() -> {
                if (!waiting.compareAndSet(false, true)) {
                    return;
                }
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                        .whenComplete((response, error) -> {
                            waiting.set(false);
                            if (error != null || response.statusCode() != 200) {
                                stats.error(error != null ? error.toString() : "HTTP " + response.statusCode());
                                return;
                            }
                            byte[] body = response.body();
                            synchronized (lock) {
                                receiver.receive(new String(body, StandardCharsets.UTF_8), body.length);
                            }
                        });
            }, offset, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
