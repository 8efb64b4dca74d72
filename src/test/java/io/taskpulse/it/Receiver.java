package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP receiver for alerts, in the test: records every request per path (headers, body, when), answers with
 * the statuses a test queued for that path (then 200), and optionally holds each answer for a while. Bound to
 * 127.0.0.2, the one loopback address the ITs' server is allowed to reach (taskpulse.alerts.allow-hosts).
 */
public final class Receiver implements AutoCloseable {

    public static final String HOST = "127.0.0.2";

    /** One request as received. */
    public record Received(String path, Map<String, String> headers, String body, Instant at) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public JsonObject json() {
            return Api.object(body);
        }
    }

    /** An answer: a status and, for 429/503, a Retry-After. */
    public record Reply(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new ArrayList<>();
    private final Map<String, Deque<Reply>> replies = new HashMap<>();
    private volatile Duration delay = Duration.ZERO;

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(HOST, 0), 50);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://" + HOST + ":" + server.getAddress().getPort() + path;
    }

    public URI base() {
        return URI.create(url("/"));
    }

    public synchronized void reply(String path, Reply... queued) {
        replies.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(queued));
    }

    /** Holds every answer this long (a receiver that is slow to confirm). */
    public void delay(Duration by) {
        delay = by;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        String path = exchange.getRequestURI().getPath();
        Reply reply;
        synchronized (this) {
            received.add(new Received(path, headers, body, Instant.now()));
            Deque<Reply> queued = replies.get(path);
            reply = queued == null || queued.isEmpty() ? new Reply(200, null) : queued.poll();
            notifyAll();
        }
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis()); // the workload: a slow receiver, not a wait in the test
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
        }
        exchange.sendResponseHeaders(reply.status(), -1);
        exchange.close();
    }

    public synchronized List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** Waits until {@code path} received at least {@code count} requests, and returns them all. */
    public synchronized List<Received> await(String path, int count) {
        Instant deadline = Instant.now().plus(Api.PATIENCE);
        while (received(path).size() < count) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            if (left <= 0) {
                fail("receiver got " + received(path).size() + " requests on " + path + ", waited for " + count + ": "
                        + received(path));
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return received(path);
    }

    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
