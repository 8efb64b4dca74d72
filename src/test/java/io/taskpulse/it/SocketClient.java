package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket client of /ws/tasks that keeps every message it receives, in order, long ones put together from their parts. */
public final class SocketClient implements WebSocket.Listener, AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    /** Long messages come in parts: tests see them whole, as the page does. */
    private final MessageParts parts = new MessageParts();
    private volatile String closeReason;
    /** What went wrong in this client, for the failure message of a wait that got nothing. */
    private volatile Throwable failure;
    private volatile int partialLength;
    private WebSocket socket;

    public static SocketClient connect(URI httpBase, String query) {
        return connect(httpBase, "ws/tasks", query, Map.of());
    }

    /** To another endpoint, or with handshake headers (Authorization, Cookie). */
    public static SocketClient connect(URI httpBase, String path, String query, Map<String, String> headers) {
        SocketClient client = new SocketClient();
        try {
            client.socket = handshake(httpBase, path, query, headers, client).orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new AssertionError("handshake to " + path + " refused with " + refused.getResponse().statusCode()
                        + ": " + refused.getResponse().body(), e);
            }
            throw e;
        }
        return client;
    }

    /** The HTTP status with which the server refused a handshake; fails if it accepted it. */
    public static int refusal(URI httpBase, String path, Map<String, String> headers) {
        SocketClient client = new SocketClient();
        try {
            WebSocket accepted = handshake(httpBase, path, "", headers, client).orTimeout(30, TimeUnit.SECONDS).join();
            accepted.abort();
            return fail("handshake to " + path + " was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static CompletableFuture<WebSocket> handshake(URI httpBase, String path, String query, Map<String, String> headers,
            SocketClient client) {
        URI uri = URI.create(httpBase.toString().replaceFirst("^http", "ws") + path + (query.isEmpty() ? "" : "?" + query));
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        return builder.buildAsync(uri, client);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        partialLength = partial.length();
        if (last) {
            try {
                JsonObject whole = parts.add(Api.object(partial.toString()));
                if (whole != null) {
                    messages.add(whole);
                }
            } catch (RuntimeException e) {
                failure = new AssertionError("unparsable message of " + partial.length() + " chars", e);
            }
            partial.setLength(0);
            partialLength = 0;
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
        failure = error;
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
            if (message == null) {
                throw new AssertionError("no message within " + patience + "; " + state(), failure);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next message, or null when the server closed the socket instead of sending one. */
    public JsonObject nextOrClose() {
        try {
            java.time.Instant deadline = java.time.Instant.now().plus(Api.PATIENCE);
            while (java.time.Instant.now().isBefore(deadline)) {
                JsonObject message = messages.poll(50, TimeUnit.MILLISECONDS);
                if (message != null) {
                    return message;
                }
                if (closeCode.isDone()) {
                    return messages.poll();
                }
            }
            throw new AssertionError("neither a message nor a close within " + Api.PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Skips messages until one matches, returning it; gives up after {@code Api.PATIENCE} in all. */
    public JsonObject nextMatching(Predicate<JsonObject> wanted) {
        java.time.Instant deadline = java.time.Instant.now().plus(Api.PATIENCE);
        while (java.time.Instant.now().isBefore(deadline)) {
            JsonObject message = next();
            if (wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no matching message within " + Api.PATIENCE);
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

    /** Whether the server has neither closed this socket nor failed it. */
    public boolean isOpen() {
        return !closeCode.isDone();
    }

    public String closeReason() {
        return closeReason;
    }

    /** WebSocket messages received, counting each part of a long message. */
    public int partsReceived() {
        return parts.received();
    }

    /** Open or how it ended, and how much of an unfinished message arrived: what a failed wait reports. */
    private String state() {
        String ending = !closeCode.isDone() ? "socket still open"
                : closeCode.isCompletedExceptionally() ? "socket failed"
                : "socket closed with " + closeCode.join() + " \"" + closeReason + "\"";
        return ending + ", " + partialLength + " chars of an unfinished message received"
                + (failure == null ? "" : ", " + failure);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
