package io.taskpulse.bench.driver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the statements the server sends PostgreSQL, exactly, by sitting between the two (a loopback TCP proxy
 * that reads the frontend side of the wire protocol). pg_stat_statements is not preloaded on this server, and
 * pg_stat_database counts transactions, late (flushed about once a second) and several statements as one.
 * <p>
 * Counted from the client's messages: an Execute ('E', the extended protocol JDBC uses for prepared statements,
 * BEGIN and COMMIT included) or a non-empty simple Query ('Q') is one statement; an empty simple query is the
 * driver's {@code Connection.isValid} round trip, counted apart as a ping. Everything is forwarded unchanged. The
 * server connects with {@code sslmode=disable}: an encrypted connection could not be read.
 */
final class StatementCounter implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket listener;
    private final InetSocketAddress database;
    private final LongAdder statements = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    record Counts(long statements, long pings) {
        Counts minus(Counts earlier) {
            return new Counts(statements - earlier.statements, pings - earlier.pings);
        }
    }

    StatementCounter(String host, int port) throws IOException {
        this.database = new InetSocketAddress(host, port);
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "pg-counter");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The JDBC URL that reaches {@code url}'s database through this counter. */
    String route(String url) {
        String routed = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + listener.getLocalPort() + "/");
        return routed + (routed.contains("?") ? "&" : "?") + "sslmode=disable";
    }

    Counts counts() {
        return new Counts(statements.sum(), pings.sum());
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(database, 10_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                start("pg-counter-in", () -> count(client.getInputStream(), server.getOutputStream()), client, server);
                start("pg-counter-out", () -> copy(server.getInputStream(), client.getOutputStream()), client, server);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    Bench.log("statement counter: %s", e);
                }
            }
        }
    }

    private void start(String name, IoTask task, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            try {
                task.run();
            } catch (IOException ignored) {
                // a connection closed by either side: close both
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Frontend to backend: forwards every message, counting statements and pings. */
    private void count(InputStream from, OutputStream to) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(from, 16384));
        OutputStream out = new BufferedOutputStream(to, 16384);
        // Untyped start-up messages first: an SSL or GSS request (answered with one byte) comes before the real one.
        while (true) {
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            out.write(int32(length));
            out.write(body);
            out.flush();
            int code = body.length >= 4 ? ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff) : 0;
            if (code != SSL_REQUEST && code != GSS_REQUEST) {
                break;
            }
        }
        while (true) {
            int type = in.read();
            if (type < 0) {
                throw new EOFException();
            }
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            if (type == 'E') {
                statements.increment();
            } else if (type == 'Q') {
                // the query text is a C string: only its terminator means "empty"
                if (body.length <= 1) {
                    pings.increment();
                } else {
                    statements.increment();
                }
            }
            out.write(type);
            out.write(int32(length));
            out.write(body);
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    private static void copy(InputStream from, OutputStream to) throws IOException {
        byte[] buffer = new byte[16384];
        for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
            to.write(buffer, 0, n);
            to.flush();
        }
    }

    private static byte[] int32(int value) {
        return new byte[]{(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(StatementCounter::closeQuietly);
    }

    private interface IoTask {
        void run() throws IOException;
    }
}
