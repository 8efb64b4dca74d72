package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client of /ws/tasks that keeps every message it receives, in order. */
public final class SocketClient implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile String closeReason;
    private WebSocket socket;

    public static SocketClient connect(URI httpBase, String query) {
        SocketClient client = new SocketClient();
        URI uri = URI.create(httpBase.toString().replaceFirst("^http", "ws") + "ws/tasks" + (query.isEmpty() ? "" : "?" + query));
        client.socket = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, client).orTimeout(30, TimeUnit.SECONDS).join();
        return client;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(Api.object(partial.toString()));
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    /** The next message, waiting at most {@code Api.PATIENCE}. */
    public JsonObject next() {
        return next(Api.PATIENCE);
    }

    /** The next message, waiting at most {@code patience}. */
    public JsonObject next(Duration patience) {
        try {
            JsonObject message = messages.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(message, "no message within " + patience);
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips messages until one matches, returning it. */
    public JsonObject nextMatching(Predicate<JsonObject> wanted) {
        while (true) {
            JsonObject message = next();
            if (wanted.test(message)) {
                return message;
            }
        }
    }

    /** Takes a message if one is already there. */
    public JsonObject poll() {
        return messages.poll();
    }

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The close code the server sent, waiting at most {@code Api.PATIENCE}. */
    public int awaitClose() {
        return awaitClose(Api.PATIENCE);
    }

    /** The close code the server sent, waiting at most {@code patience}. */
    public int awaitClose(Duration patience) {
        return closeCode.orTimeout(patience.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public String closeReason() {
        return closeReason;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
