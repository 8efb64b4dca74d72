package io.taskpulse.bench.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * N WebSocket clients from this JVM on non-blocking sockets, one selector thread per core (at most two) for the fleet, each client
 * feeding its own {@link Sink}. Not {@code java.net.http}'s WebSocket client: under load it now and then misread valid
 * frames ("Invalid UTF-8 in frame TEXT": 2 of 50 clients in a smoke run; strict raw clients read 25,000 of 25,000
 * snapshots whole on the same server, docs/benchmarks.md), and it costs a few threads' worth of work per message
 * that the driver, sharing two cores with the server, takes from the floor.
 * <p>
 * These clients are strict where it helps a measurement: a frame with RSV bits, a mask, an unknown opcode, or a message
 * that is not UTF-8 is an error for that client (counted in {@link Receiver.Stats#error}), and the client stops. They
 * answer pings (TaskPulse closes a client that leaves one unanswered) and echo a close frame.
 */
final class SocketFleet implements AutoCloseable {

    /** What a client does with each whole message it receives (all parts of a long one are joined first). */
    interface Sink {
        void receive(CharSequence message, int utf8Bytes);
    }

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int HANDSHAKES_IN_FLIGHT = 100;
    private static final int CLOSE = 0x8, PING = 0x9, PONG = 0xA, TEXT = 0x1, CONTINUATION = 0x0;

    private final List<Loop> loops = new ArrayList<>();
    private final List<Client> clients = new ArrayList<>();

    /** Opens them with at most 100 handshakes in flight; fails if any is refused. */
    static SocketFleet open(URI uri, int clients, Receiver.Stats stats, int hotTasks) {
        return open(uri, clients, stats, client -> new Receiver(stats, hotTasks));
    }

    /** As above, with a sink of its own per client ({@code sinks} gets the client's index); errors go to {@code stats}. */
    static SocketFleet open(URI uri, int count, Receiver.Stats stats, IntFunction<Sink> sinks) {
        SocketFleet fleet = new SocketFleet();
        try {
            // one selector per core the driver may use: the sinks' work (parsing stamps) is most of a client's cost
            int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
            for (int i = 0; i < threads; i++) {
                fleet.loops.add(new Loop(i));
            }
            InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
            String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String host = uri.getHost() + ":" + uri.getPort();
            Semaphore inFlight = new Semaphore(HANDSHAKES_IN_FLIGHT);
            CountDownLatch opened = new CountDownLatch(count);
            AtomicReference<String> refused = new AtomicReference<>();
            for (int i = 0; i < count; i++) {
                if (!inFlight.tryAcquire(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no handshake completed within 120 s");
                }
                if (refused.get() != null) {
                    break;
                }
                Client client = new Client(sinks.apply(i), stats, target, host, outcome -> {
                    inFlight.release();
                    if (outcome != null) {
                        refused.compareAndSet(null, outcome);
                    }
                    opened.countDown();
                });
                fleet.clients.add(client);
                fleet.loops.get(i % threads).connect(client, address);
            }
            if (refused.get() == null && !opened.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(opened.getCount() + " of " + count + " handshakes not done after 120 s");
            }
            if (refused.get() != null) {
                throw new IllegalStateException("a WebSocket handshake to " + uri + " failed: " + refused.get());
            }
            return fleet;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fleet.close();
            throw new IllegalStateException("interrupted while opening sockets", e);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    int size() {
        return clients.size();
    }

    /** Drops every connection at once (no close handshake), as the JDK client's abort did. */
    @Override
    public void close() {
        for (Loop loop : loops) {
            loop.stop();
        }
    }

    /** One selector thread and the clients on it. All client state is touched on this thread only. */
    private static final class Loop implements Runnable {
        private final Selector selector;
        private final Thread thread;
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        /** what one read brings in: frames that are whole in it are parsed in place, never copied */
        private final ByteBuffer scratch = ByteBuffer.allocateDirect(256 * 1024);
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private volatile boolean stopping;

        Loop(int index) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            thread = new Thread(this, "socket-fleet-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void connect(Client client, InetSocketAddress address) {
            tasks.add(() -> {
                try {
                    client.channel = SocketChannel.open();
                    client.channel.configureBlocking(false);
                    client.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    client.key = client.channel.register(selector, SelectionKey.OP_CONNECT, client);
                    if (client.channel.connect(address)) {
                        connected(client);
                    }
                } catch (IOException | RuntimeException e) {
                    // a RuntimeException too (an unresolved address): escaping here it would end the selector thread
                    client.handshakeFailed("connect: " + e);
                }
            });
            selector.wakeup();
        }

        void stop() {
            stopping = true;
            selector.wakeup();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void run() {
            try {
                while (!stopping) {
                    selector.select(1_000);
                    for (Runnable task; (task = tasks.poll()) != null; ) {
                        task.run();
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        Client client = (Client) key.attachment();
                        try {
                            if (!key.isValid()) {
                                continue;
                            }
                            if (key.isConnectable()) {
                                client.channel.finishConnect();
                                connected(client);
                            } else if (key.isWritable()) {
                                client.flush();
                            }
                            if (key.isValid() && key.isReadable()) {
                                read(client);
                            }
                        } catch (IOException | RuntimeException e) {
                            client.fail(e.toString());
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | ClosedSelectorException e) {
                if (!stopping) {
                    throw new IllegalStateException("socket fleet selector failed", e);
                }
            } finally {
                for (SelectionKey key : selector.keys()) {
                    ((Client) key.attachment()).drop();
                }
                try {
                    selector.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private void connected(Client client) throws IOException {
            client.key.interestOps(SelectionKey.OP_READ);
            client.write(client.handshake());
        }

        private void read(Client client) throws IOException {
            scratch.clear();
            int read = client.channel.read(scratch);
            if (read < 0) {
                client.fail(client.open ? "connection closed by the server without a close frame"
                        : "connection closed during the handshake");
                return;
            }
            scratch.flip();
            ByteBuffer data = scratch;
            if (client.carry != null) {
                client.carry = append(client.carry, scratch);
                client.carry.flip();
                data = client.carry;
            }
            if (!client.open && !client.readHead(data)) {
                keep(client, data);
                return;
            }
            while (client.key.isValid() && client.frame(data, utf8)) {
                // one whole frame handled
            }
            keep(client, data);
        }

        /** What is left of {@code data} (a frame not yet whole) stays with the client for its next read. */
        private static void keep(Client client, ByteBuffer data) {
            if (!data.hasRemaining() || !client.key.isValid()) {
                client.carry = null;
            } else if (data == client.carry) {
                client.carry.compact();
            } else {
                client.carry = append(null, data);
            }
        }

        /** {@code into} (in write mode, or null) with {@code more} appended, grown as needed; in write mode. */
        private static ByteBuffer append(ByteBuffer into, ByteBuffer more) {
            if (into == null || into.remaining() < more.remaining()) {
                int used = into == null ? 0 : into.position();
                ByteBuffer grown = ByteBuffer.allocate(Math.max(8 * 1024, Integer.highestOneBit(used + more.remaining()) * 2));
                if (into != null) {
                    into.flip();
                    grown.put(into);
                }
                into = grown;
            }
            return into.put(more);
        }
    }

    /** One connection: its handshake, the frames it reads, the few it writes. */
    private static final class Client {
        private final Sink sink;
        private final Receiver.Stats stats;
        private final String target;
        private final String host;
        private final Consumer<String> handshakeDone;
        private final String key64;
        SocketChannel channel;
        SelectionKey key;
        boolean open;
        ByteBuffer carry;
        private final Queue<ByteBuffer> pendingWrites = new ArrayDeque<>(1);
        /** the parts of a message not yet whole (a long one comes in continuation frames) */
        private ByteArrayOutputStream fragments;
        private boolean handshakeReported;

        Client(Sink sink, Receiver.Stats stats, String target, String host, Consumer<String> handshakeDone) {
            this.sink = sink;
            this.stats = stats;
            this.target = target;
            this.host = host;
            this.handshakeDone = handshakeDone;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            this.key64 = Base64.getEncoder().encodeToString(nonce);
        }

        ByteBuffer handshake() {
            String request = "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key64 + "\r\n\r\n";
            return ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
        }

        /** @return whether the response head is in and said 101 with the right accept key (data then holds frames) */
        boolean readHead(ByteBuffer data) {
            int end = -1;
            for (int i = data.position(); i + 3 < data.limit(); i++) {
                if (data.get(i) == '\r' && data.get(i + 1) == '\n' && data.get(i + 2) == '\r' && data.get(i + 3) == '\n') {
                    end = i + 4;
                    break;
                }
            }
            if (end < 0) {
                if (data.remaining() > 16 * 1024) {
                    handshakeFailed("a response head over 16 KiB");
                }
                return false;
            }
            byte[] bytes = new byte[end - data.position()];
            data.get(bytes);
            String head = new String(bytes, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101")) {
                handshakeFailed(head.lines().findFirst().orElse(head));
                return false;
            }
            String expected = accept(key64);
            if (head.lines().noneMatch(line -> line.regionMatches(true, 0, "Sec-WebSocket-Accept:", 0, 21)
                    && line.substring(21).trim().equals(expected))) {
                handshakeFailed("a 101 without the right Sec-WebSocket-Accept (" + expected + "): " + head.strip().replace("\r\n", " | "));
                return false;
            }
            open = true;
            reportHandshake(null);
            return true;
        }

        /**
         * Handles the frame at the start of {@code data} if it is whole.
         *
         * @return whether one was (so another may follow)
         */
        boolean frame(ByteBuffer data, CharsetDecoder utf8) throws IOException {
            int start = data.position();
            if (data.remaining() < 2) {
                return false;
            }
            int first = data.get(start) & 0xFF, second = data.get(start + 1) & 0xFF;
            int header = 2;
            long length = second & 0x7F;
            if (length == 126) {
                if (data.remaining() < 4) {
                    return false;
                }
                length = data.getShort(start + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (data.remaining() < 10) {
                    return false;
                }
                length = data.getLong(start + 2);
                header = 10;
            }
            if ((first & 0x70) != 0 || (second & 0x80) != 0 || length < 0 || length > 64L * 1024 * 1024) {
                fail(String.format("a frame this client refuses: first byte 0x%02x, second 0x%02x, length %d", first, second, length));
                return false;
            }
            if (data.remaining() < header + length) {
                return false;
            }
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            ByteBuffer payload = data.slice(start + header, (int) length);
            data.position(start + header + (int) length);
            switch (opcode) {
                case TEXT, CONTINUATION -> text(opcode, fin, payload, utf8);
                case PING -> write(control(PONG, payload));
                case PONG -> { }
                case CLOSE -> closeFrame(payload);
                default -> fail("a frame with opcode " + opcode);
            }
            return true;
        }

        private void text(int opcode, boolean fin, ByteBuffer payload, CharsetDecoder utf8) {
            if ((opcode == TEXT) == (fragments != null)) {
                fail(opcode == TEXT ? "a text frame inside a fragmented message" : "a continuation frame with no message");
                return;
            }
            if (!fin) {
                if (fragments == null) {
                    fragments = new ByteArrayOutputStream(payload.remaining() * 2);
                }
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                fragments.writeBytes(bytes);
                return;
            }
            ByteBuffer whole = payload;
            if (fragments != null) {
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                fragments.writeBytes(bytes);
                whole = ByteBuffer.wrap(fragments.toByteArray());
                fragments = null;
            }
            int bytes = whole.remaining();
            CharBuffer message;
            try {
                message = utf8.reset().decode(whole);
            } catch (CharacterCodingException e) {
                fail("a text message that is not UTF-8 (" + bytes + " bytes)");
                return;
            }
            sink.receive(message, bytes);
        }

        private void closeFrame(ByteBuffer payload) {
            int code = payload.remaining() >= 2 ? payload.getShort(payload.position()) & 0xFFFF : 1005;
            String reason = payload.remaining() > 2
                    ? StandardCharsets.UTF_8.decode(payload.slice(payload.position() + 2, payload.remaining() - 2)).toString() : "";
            stats.closed(code, reason);
            ByteBuffer echo = ByteBuffer.allocate(2).putShort(0, (short) (code == 1005 ? 1000 : code));
            try {
                write(control(CLOSE, echo)); // best effort: the server's close is what counts, not our echo
            } catch (IOException e) {
                // the server may have closed the connection already
            } finally {
                drop();
            }
        }

        /** A masked control frame (a client masks everything it sends). */
        private static ByteBuffer control(int opcode, ByteBuffer payload) {
            int length = Math.min(payload.remaining(), 125);
            ByteBuffer frame = ByteBuffer.allocate(6 + length);
            frame.put((byte) (0x80 | opcode)).put((byte) (0x80 | length));
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < length; i++) {
                frame.put((byte) (payload.get(payload.position() + i) ^ mask[i & 3]));
            }
            return frame.flip();
        }

        void write(ByteBuffer bytes) throws IOException {
            if (pendingWrites.isEmpty()) {
                channel.write(bytes);
                if (!bytes.hasRemaining()) {
                    return;
                }
            }
            pendingWrites.add(bytes);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }

        void flush() throws IOException {
            for (ByteBuffer next; (next = pendingWrites.peek()) != null; pendingWrites.poll()) {
                channel.write(next);
                if (next.hasRemaining()) {
                    return;
                }
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        void handshakeFailed(String why) {
            reportHandshake(why);
            drop();
        }

        /** A protocol or I/O failure: counted for this phase, and the client stops. */
        void fail(String why) {
            if (!open) {
                handshakeFailed(why);
                return;
            }
            stats.error(why + " at " + java.time.Instant.now());
            drop();
        }

        void drop() {
            open = false;
            if (key != null) {
                key.cancel();
            }
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // gone either way
            }
            reportHandshake("closed before the handshake completed");
        }

        private void reportHandshake(String failure) {
            if (!handshakeReported) {
                handshakeReported = true;
                handshakeDone.accept(failure);
            }
        }

        private static String accept(String key) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
                return Base64.getEncoder().encodeToString(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
