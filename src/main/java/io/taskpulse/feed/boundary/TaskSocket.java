package io.taskpulse.feed.boundary;

import io.taskpulse.configuration.Settings;
import io.taskpulse.feed.control.TaskFeed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Live feed over WebSocket at {@code /ws/tasks[?since=R]}. The server sends a snapshot (or, with {@code since},
 * what the client missed) and then every change. The client may send {@code {"type":"resume","since":R}} at any
 * time, e.g. after it saw a gap. Anything else it sends closes the socket with 1007 and a reason.
 */
@ServerEndpoint("/ws/tasks")
public class TaskSocket {

    /** Client messages are tiny; anything bigger is closed by the container with 1009. */
    private static final int MAX_INCOMING = 1024;

    private static final Logger LOG = Logger.getLogger(TaskSocket.class.getName());

    @Inject
    TaskFeed feed;

    @Inject
    Settings settings;

    private TaskFeed.Subscription subscription;
    private SessionOutbox outbox;

    @OnOpen
    public void open(Session session) {
        session.setMaxTextMessageBufferSize(MAX_INCOMING);
        Long since;
        try {
            since = since(session);
        } catch (IllegalArgumentException e) {
            reject(session, e.getMessage());
            return;
        }
        outbox = new SessionOutbox(session, settings.outboxLimit());
        subscription = feed.subscribe(outbox, since);
    }

    @OnMessage
    public void message(Session session, String text) {
        try {
            long since = resumeRequest(text);
            if (subscription != null) {
                feed.resume(subscription, since);
            }
        } catch (IllegalArgumentException e) {
            reject(session, e.getMessage());
        }
    }

    @OnClose
    public void closed(Session session, CloseReason reason) {
        leave();
    }

    @OnError
    public void failed(Session session, Throwable failure) {
        LOG.log(Level.FINE, "WebSocket {0} failed: {1}", new Object[]{session.getId(), failure.toString()});
        leave();
    }

    private void leave() {
        if (subscription != null) {
            subscription.cancel();
        }
        if (outbox != null) {
            outbox.discard();
        }
    }

    private static Long since(Session session) {
        List<String> values = session.getRequestParameterMap().get("since");
        if (values == null || values.isEmpty() || values.get(0).isBlank()) {
            return null;
        }
        return Revisions.parse("since", values.get(0));
    }

    static long resumeRequest(String text) {
        JsonObject request;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new IllegalArgumentException("expected {\"type\":\"resume\",\"since\":<revision>}");
            }
            request = value.asJsonObject();
        } catch (JsonException e) {
            throw new IllegalArgumentException("message is not valid JSON");
        }
        if (!"resume".equals(request.getString("type", null))) {
            throw new IllegalArgumentException("unknown message type; only \"resume\" is understood");
        }
        JsonValue since = request.get("since");
        if (!(since instanceof JsonNumber number) || !number.isIntegral() || number.longValue() < 0) {
            throw new IllegalArgumentException("since must be a revision, a whole number from 0 up");
        }
        return number.longValue();
    }

    private void reject(Session session, String reason) {
        leave();
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.NOT_CONSISTENT, truncate(reason)));
        } catch (IOException e) {
            LOG.log(Level.FINE, "Closing WebSocket {0} failed: {1}", new Object[]{session.getId(), e.toString()});
        }
    }

    /** A close reason must fit in 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        return reason.length() <= 120 ? reason : reason.substring(0, 120);
    }
}
