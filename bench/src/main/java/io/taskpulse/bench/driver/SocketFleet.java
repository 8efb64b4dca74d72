package io.taskpulse.bench.driver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** N WebSocket clients from this JVM, on one shared HttpClient, each feeding its own {@link Receiver}. */
final class SocketFleet implements AutoCloseable {

    private final List<WebSocket> sockets = new ArrayList<>();

    /** What a client does with each whole message it receives (all parts of a long one are joined first). */
    interface Sink {
        void receive(CharSequence message, int utf8Bytes);
    }

    /** Opens them with at most 100 handshakes in flight; fails if any is refused. */
    static SocketFleet open(HttpClient http, URI uri, int clients, Receiver.Stats stats, int hotTasks) {
        return open(http, uri, clients, stats, client -> new Receiver(stats, hotTasks));
    }

    /** As above, with a sink of its own per client ({@code sinks} gets the client's index); errors go to {@code stats}. */
    static SocketFleet open(HttpClient http, URI uri, int clients, Receiver.Stats stats,
                            java.util.function.IntFunction<Sink> sinks) {
        SocketFleet fleet = new SocketFleet();
        Semaphore inFlight = new Semaphore(100);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            inFlight.acquireUninterruptibly();
            CompletableFuture<WebSocket> socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(60))
                    .buildAsync(uri, new Listener(sinks.apply(i), stats));
            socket.whenComplete((s, e) -> inFlight.release());
            opening.add(socket);
        }
        for (CompletableFuture<WebSocket> socket : opening) {
            fleet.sockets.add(socket.orTimeout(120, TimeUnit.SECONDS).join());
        }
        return fleet;
    }

    int size() {
        return sockets.size();
    }

    @Override
    public void close() {
        for (WebSocket socket : sockets) {
            socket.abort();
        }
    }

    private static final class Listener implements WebSocket.Listener {
        private final Sink receiver;
        private final Receiver.Stats stats;
        private final StringBuilder parts = new StringBuilder();

        Listener(Sink receiver, Receiver.Stats stats) {
            this.receiver = receiver;
            this.stats = stats;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                String message = parts.toString();
                parts.setLength(0);
                receiver.receive(message, message.getBytes(StandardCharsets.UTF_8).length);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            stats.closed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            // the JDK reports a peer's protocol violation as a bare ProtocolException whose cause says what it was
            stats.error(error.getCause() == null ? error.toString() : error + " caused by " + error.getCause());
        }
    }
}
