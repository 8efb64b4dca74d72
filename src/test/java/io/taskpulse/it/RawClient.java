package io.taskpulse.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Byte-level HTTP over a plain socket, for what java.net.http refuses to send: invalid UTF-8, wrong Content-Length,
 * broken framing, raw bytes in a request line or a header; and one WebSocket frame as it is (text that is not UTF-8),
 * through {@link RawSocket}, the tests' one raw WebSocket.
 */
public final class RawClient {

    /** What came back: a status (0 when the server closed or stayed silent without an answer), the header block and the body. */
    public record Reply(int status, String head, String body) {
    }

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final URI base;
    private final String host;
    private final int port;
    private final String root;

    public RawClient(URI base) {
        this.base = base;
        this.host = base.getHost();
        this.port = base.getPort();
        this.root = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
    }

    /** The application's path on the server ("/" or "/taskpulse/"); raw requests must name it themselves. */
    public String root() {
        return root;
    }

    /** A well-framed request (Connection: close) for a path or header java.net.http refuses, e.g. "%zz" or "[]". */
    public byte[] request(String method, String path, List<Map.Entry<String, String>> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(root).append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader()).append("\r\n");
        headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] start = head.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(start, start.length + (body == null ? 0 : body.length));
        if (body != null) {
            System.arraycopy(body, 0, all, start.length, body.length);
        }
        return all;
    }

    public String hostHeader() {
        return host + ":" + port;
    }

    /**
     * Sends the bytes as they are and reads the answer until the server closes (the request should say
     * Connection: close). With {@code halfClose} the client then ends its side, so a server that waits for more
     * body sees end of stream instead of waiting for its own timeout.
     */
    public Reply exchange(byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (halfClose) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The server may answer and close before it read everything (e.g. 413): read what it said.
            }
            return parse(readUntilClosed(socket.getInputStream()));
        }
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // Nothing, or an answer on a connection left open: take what arrived (nothing is status 0, "closed").
        } catch (IOException e) {
            // reset after an answer: keep what arrived
            if (all.size() == 0) {
                return new byte[0];
            }
        }
        return all.toByteArray();
    }

    static Reply parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Reply(0, text, "");
        }
        String head = text.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        byte[] rest = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("transfer-encoding: chunked")) {
            rest = dechunk(rest);
        }
        return new Reply(status, head, new String(rest, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, at);
            if (lineEnd < 0) {
                break;
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].strip();
            int length = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            int start = lineEnd + 2;
            body.write(chunked, start, Math.min(length, chunked.length - start));
            at = start + length + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Opens /ws/tasks?{@code query}, sends one masked frame with the given opcode (1 text, 2 binary) and payload as they are,
     * and returns the close code the server answers with: -1 when it closed the connection without a close frame.
     */
    public int webSocketFrame(String query, int opcode, byte[] payload) throws IOException {
        try (RawSocket socket = RawSocket.handshake(base, "ws/tasks", query, Map.of())) {
            socket.send(opcode, payload);
            return socket.readUntilClose(PATIENCE);
        }
    }
}
