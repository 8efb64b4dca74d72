package io.taskpulse.bench.baseline;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The floor's registry: the sessions to broadcast to, and the broadcast itself. */
@ApplicationScoped
public class Floor {

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    void add(Session session) {
        sessions.add(session);
    }

    void remove(Session session) {
        sessions.remove(session);
    }

    /**
     * One frame, built once, shaped and sized like a TaskPulse "changes" message for one task, sent to every
     * session without waiting for any of them: what any broadcast must at least cost.
     */
    int broadcast(String stamp) {
        String frame = "{\"type\":\"changes\",\"from\":0,\"revision\":0,\"tasks\":[{\"id\":0,\"name\":\"bench-0000\","
                + "\"description\":\"benchmark task\",\"status\":\"FAILED\",\"message\":\"" + stamp
                + "\",\"changedAt\":\"2026-01-01T00:00:00Z\",\"revision\":0}],\"deleted\":[]}";
        int sent = 0;
        for (Session session : sessions) {
            if (session.isOpen()) {
                session.getAsyncRemote().sendText(frame);
                sent++;
            }
        }
        return sent;
    }
}
