package io.taskpulse.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WebSocket connection on a plain TCP socket: the handshake, reading frames, sending masked frames. Tests use it
 * directly for the clients a library cannot play (one that stops reading, so its receive window fills and the
 * server's send stalls; one that never answers a ping), and {@link SocketClient} builds the well-behaved client
 * on it. (The JDK's java.net.http WebSocket client was used before and, under load, now and then misread the
 * first frames after the handshake: "Unexpected rsv1 bit", "Invalid UTF-8 in frame TEXT", while a recording
 * proxy showed the server's bytes were valid frames of valid UTF-8.)
 */
final class RawSocket implements AutoCloseable {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** @param receiveBuffer bytes of kernel receive buffer (small: the window fills fast), or 0 for the default */
    private RawSocket(URI httpBase, String path, String query, Map<String, String> headers, int receiveBuffer)
            throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(httpBase.getHost(), httpBase.getPort()), 10_000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        StringBuilder request = new StringBuilder("GET ").append(httpBase.getPath()).append(path)
                .append(query.isEmpty() ? "" : "?" + query).append(" HTTP/1.1\r\nHost: ").append(httpBase.getHost())
                .append(':').append(httpBase.getPort()).append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce))
                .append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        String head = readHeaders();
        int status = Integer.parseInt(head.substring(9, 12));
        if (status != 101) {
            String body = refusalBody(head);
            socket.close();
            // The head too: which layer refused (the container, a filter, the endpoint) shows in its headers.
            throw new Refused(status, body.isEmpty() ? head.strip() : body);
        }
    }

    /** The body of a refusal, whether sent with a length or in chunks (as Payara 7 sends error pages). */
    private String refusalBody(String head) throws IOException {
        Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            byte[] bytes = new byte[Integer.parseInt(length.group(1))];
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (!Pattern.compile("(?im)^transfer-encoding:\\s*chunked").matcher(head).find()) {
            return "";
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine().strip();
            int chunk = Integer.parseInt(size.contains(";") ? size.substring(0, size.indexOf(';')) : size, 16);
            if (chunk == 0) {
                return body.toString(StandardCharsets.UTF_8);
            }
            byte[] bytes = new byte[chunk];
            in.readFully(bytes);
            body.writeBytes(bytes);
            readLine();
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The server answered the handshake with this status instead of 101. */
    static final class Refused extends IOException {
        final int status;
        final String body;

        Refused(int status, String body) {
            super("handshake refused with " + status + ": " + body);
            this.status = status;
            this.body = body;
        }
    }

    static RawSocket open(URI httpBase, String query) {
        return open(httpBase, query, 0);
    }

    static RawSocket open(URI httpBase, String query, int receiveBuffer) {
        try {
            return new RawSocket(httpBase, "ws/tasks", query, Map.of(), receiveBuffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A handshake to {@code path} with extra headers (Authorization, Cookie, Origin); {@link Refused} if not 101. */
    static RawSocket handshake(URI httpBase, String path, String query, Map<String, String> headers) throws IOException {
        return new RawSocket(httpBase, path, query, headers, 0);
    }

    private String readHeaders() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One frame as the server sent it; the server never masks and, here, never fragments. */
    record Frame(int opcode, byte[] payload, boolean fin) {

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    /** The next frame, or null when the server closed the connection; {@code Duration.ZERO} waits for ever. */
    Frame read(Duration patience) {
        try {
            socket.setSoTimeout((int) patience.toMillis());
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            return new Frame(first & 0x0f, payload, (first & 0x80) != 0);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + patience, e);
        } catch (IOException e) {
            return null;   // reset by the server: closed as well
        }
    }

    /** Reads until the server's close frame (or end of stream), returning the close code, or -1 on a bare EOF. */
    int readUntilClose(Duration patience) {
        for (Frame frame = read(patience); frame != null; frame = read(patience)) {
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
        return -1;
    }

    /** One masked frame; synchronized, so a reader thread's pong never lands inside another frame. */
    synchronized void send(int opcode, byte[] payload) {
        try {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x80 | opcode);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else if (payload.length < 65536) {
                frame.write(0x80 | 126);
                frame.write(payload.length >> 8);
                frame.write(payload.length & 0xff);
            } else {
                frame.write(0x80 | 127);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    frame.write((int) ((long) payload.length >> shift) & 0xff);
                }
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i % 4]);
            }
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes as they are, e.g. the start of a frame that never ends (a client that hangs mid-frame). */
    synchronized void raw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Drops the connection as a crashed client or a broken network does: no close frame, and a TCP reset (SO_LINGER
     * 0) instead of a FIN, so the server learns of it only when it next reads or writes.
     */
    void abort() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already: nothing to reset
        }
        close();
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
