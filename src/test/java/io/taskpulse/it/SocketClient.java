package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client of /ws/tasks that keeps every message it receives, in order, long ones put together from
 * their parts. It answers pings and the close handshake like a browser, and reads strictly: a text message that is
 * not valid UTF-8 fails it. Built on {@link RawSocket} (see there why not on the JDK's client), one reading thread
 * per client.
 */
public final class SocketClient implements AutoCloseable {

    private final RawSocket wire;
    private final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    /** Long messages come in parts: tests see them whole, as the page does. */
    private final MessageParts parts = new MessageParts();
    private volatile String closeReason;
    /** What went wrong in this client, for the failure message of a wait that got nothing. */
    private volatile Throwable failure;
    private volatile int partialLength;
    private volatile boolean closeSent;

    public static SocketClient connect(URI httpBase, String query) {
        return connect(httpBase, "ws/tasks", query, Map.of());
    }

    /** To another endpoint, or with handshake headers (Authorization, Cookie). */
    public static SocketClient connect(URI httpBase, String path, String query, Map<String, String> headers) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new SocketClient(RawSocket.handshake(httpBase, path, query, headers));
            } catch (RawSocket.Refused refused) {
                // TaskPulse refuses a socket with 401/403 or a close code, never 503. Payara Micro 7 once answered a
                // handshake with a bodiless 503 of its own under CI load (TaskBoardIT, payara7 x PostgreSQL); a
                // browser's page reconnects after that, so this client does too, a bounded number of times.
                if (refused.status == 503 && attempt < SERVER_BUSY_ATTEMPTS) {
                    System.err.println("handshake to " + path + " refused with 503 (attempt " + attempt + "): " + refused.body);
                    backOff(attempt);
                    continue;
                }
                throw new AssertionError("handshake to " + path + " refused with " + refused.status + ": " + refused.body, refused);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final int SERVER_BUSY_ATTEMPTS = 3;

    /** As the page's reconnect does: a little longer after each refusal. */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(250L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reconnecting", e);
        }
    }

    /** The HTTP status with which the server refused a handshake; fails if it accepted it. */
    public static int refusal(URI httpBase, String path, Map<String, String> headers) {
        try (RawSocket accepted = RawSocket.handshake(httpBase, path, "", headers)) {
            return fail("handshake to " + path + " was accepted");
        } catch (RawSocket.Refused refused) {
            return refused.status;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SocketClient(RawSocket wire) {
        this.wire = wire;
        Thread reader = new Thread(this::read, "socket-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        try {
            while (true) {
                RawSocket.Frame frame = wire.read(Duration.ZERO);
                if (frame == null) {
                    throw new EOFException("connection ended without a close frame");
                }
                switch (frame.opcode()) {
                    case RawSocket.TEXT, RawSocket.CONTINUATION -> {
                        message.write(frame.payload());
                        partialLength = message.size();
                        if (frame.fin()) {
                            deliver(message.toByteArray());
                            message.reset();
                            partialLength = 0;
                        }
                    }
                    case RawSocket.PING -> wire.send(RawSocket.PONG, frame.payload());
                    case RawSocket.CLOSE -> {
                        closeReason = frame.closeReason();
                        sendClose(Arrays.copyOf(frame.payload(), Math.min(2, frame.payload().length)));
                        closeCode.complete(frame.closeCode());
                        wire.close();
                        return;
                    }
                    default -> throw new IOException("unexpected frame, opcode " + frame.opcode());
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
            closeCode.completeExceptionally(e);
            wire.close();
        }
    }

    private void deliver(byte[] utf8) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        JsonObject whole = parts.add(Api.object(text));
        if (whole != null) {
            messages.add(whole);
        }
    }

    private void sendClose(byte[] payload) {
        synchronized (this) {
            if (closeSent) {
                return;
            }
            closeSent = true;
        }
        try {
            wire.send(RawSocket.CLOSE, payload);
        } catch (UncheckedIOException e) {
            // the server may already have gone
        }
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
        return nextMatching(wanted, Api.PATIENCE);
    }

    /** Skips messages until one matches, returning it; gives up after {@code patience} in all. */
    public JsonObject nextMatching(Predicate<JsonObject> wanted, Duration patience) {
        java.time.Instant deadline = java.time.Instant.now().plus(patience);
        while (java.time.Instant.now().isBefore(deadline)) {
            JsonObject message = next(patience);
            if (wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no matching message within " + patience);
    }

    /** Takes a message if one is already there. */
    public JsonObject poll() {
        return messages.poll();
    }

    public void send(String text) {
        wire.send(RawSocket.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBinary(byte[] bytes) {
        wire.send(RawSocket.BINARY, bytes);
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
        return ending + ", " + partialLength + " bytes of an unfinished message received"
                + (failure == null ? "" : ", " + failure);
    }

    /** Vanishes without a close frame: the connection is reset (see {@link RawSocket#abort()}). */
    public void abort() {
        wire.abort();
    }

    /** Says goodbye (1000) and drops the connection without waiting for the server's answer. */
    @Override
    public void close() {
        if (!closeCode.isDone()) {
            sendClose(new byte[]{0x03, (byte) 0xE8, 'b', 'y', 'e'});
        }
        wire.close();
    }
}
