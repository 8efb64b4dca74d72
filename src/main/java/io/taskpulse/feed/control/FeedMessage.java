package io.taskpulse.feed.control;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.metrics.control.Metrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One feed message, built once and shared by every client it goes to, in two shapes:
 * <ul>
 * <li>{@link #text()}: the whole JSON, for the polling servlet (one HTTP response);</li>
 * <li>{@link #parts()}: for WebSocket, a long message (a snapshot, a big catch-up) split into messages of about
 *     {@value #PART_BYTES} bytes, each a valid message of the same type with a slice of the tasks.</li>
 * </ul>
 * Why parts: the container encodes every WebSocket message into a buffer of its own per session and keeps it until
 * the client has read it. Sent whole, a 1 MB snapshot to 200 clients that stopped reading held 200 copies (527 MB
 * heap in SocketLimitsIT, at the test server's 512 MB limit). In parts, sent one after another, a session holds
 * one part; and parts stay under Grizzly's 8 KiB output buffer, which otherwise keeps a larger frame's copy per
 * connection (about 14 KiB per idle socket, docs/benchmarks.md).
 * <p>
 * Wire format of a message in parts: every part repeats the message's fields ({@code type}, {@code revision},
 * {@code from}, ...); the second and later carry {@code "part":n} (1, 2, ...), all but the last
 * {@code "more":true}. A client keeps parts until the one without {@code more}, and applies them as one message
 * whose lists are the parts' lists joined. A message without {@code part} always starts a new message. A message
 * that fits in one part is sent exactly as {@link #text()}, with neither field.
 */
public final class FeedMessage {

    /** WebSocket messages are at most this many bytes of UTF-8, but for a part that holds one bigger task alone. */
    public static final int PART_BYTES = 6 * 1024;
    /** What a part adds to its head and its items at most: {@code ,"part":n,"more":true,"tasks":[],"deleted":[]}. */
    private static final int PART_OVERHEAD = 64;

    /** The fields before the lists, without the closing brace: {@code {"type":"snapshot","revision":42,...}. */
    private final String head;
    /** Its tasks and tombstones, in order; null for a message without lists (heartbeat, stale). */
    private final List<Change> items;
    /** Whether the message lists deleted ids ("changes") or leaves tombstones out ("snapshot"). */
    private final boolean withDeleted;
    private volatile String text;
    private volatile List<String> parts;

    private FeedMessage(String head, List<Change> items, boolean withDeleted) {
        this.head = head;
        this.items = items;
        this.withDeleted = withDeleted;
    }

    /** A message without lists: always one part. */
    public static FeedMessage plain(String json) {
        FeedMessage message = new FeedMessage(null, null, false);
        message.text = json;
        message.parts = List.of(json);
        return message;
    }

    /** A message with {@code "tasks"} (and, when {@code withDeleted}, {@code "deleted"}) after {@code head}. */
    public static FeedMessage listing(String head, Collection<Change> items, boolean withDeleted) {
        return new FeedMessage(head, List.copyOf(items), withDeleted);
    }

    /** The whole message. */
    public String text() {
        String whole = text;
        if (whole == null) {
            whole = render(items, 0, false);
            text = whole;
        }
        return whole;
    }

    /** The WebSocket messages to send, in order: one for most messages. */
    public List<String> parts() {
        List<String> split = parts;
        if (split == null) {
            split = split();
            parts = split;
        }
        return split;
    }

    @Override
    public String toString() {
        return text();
    }

    private List<String> split() {
        List<List<Change>> slices = new ArrayList<>();
        List<Change> slice = new ArrayList<>();
        long bytes = 0;
        for (Change item : items) {
            // with the comma before it
            long size = 1 + (item.deleted() ? Long.toString(item.taskId()).length() : Metrics.utf8Length(item.taskJson()));
            if (!slice.isEmpty() && bytes + size > PART_BYTES - head.length() - PART_OVERHEAD) {
                slices.add(slice);
                slice = new ArrayList<>();
                bytes = 0;
            }
            slice.add(item);
            bytes += size;
        }
        if (slices.isEmpty()) {
            return List.of(text());
        }
        slices.add(slice);
        List<String> split = new ArrayList<>(slices.size());
        for (int part = 0; part < slices.size(); part++) {
            split.add(render(slices.get(part), part, part < slices.size() - 1));
        }
        return List.copyOf(split);
    }

    private String render(List<Change> slice, int part, boolean more) {
        StringBuilder json = new StringBuilder(head.length() + 64 + slice.size() * 256).append(head);
        if (part > 0) {
            json.append(",\"part\":").append(part);
        }
        if (more) {
            json.append(",\"more\":true");
        }
        json.append(",\"tasks\":[");
        boolean first = true;
        for (Change change : slice) {
            if (!change.deleted()) {
                json.append(first ? "" : ",").append(change.taskJson());
                first = false;
            }
        }
        json.append(']');
        if (withDeleted) {
            json.append(",\"deleted\":[");
            first = true;
            for (Change change : slice) {
                if (change.deleted()) {
                    json.append(first ? "" : ",").append(change.taskId());
                    first = false;
                }
            }
            json.append(']');
        }
        return json.append('}').toString();
    }
}
