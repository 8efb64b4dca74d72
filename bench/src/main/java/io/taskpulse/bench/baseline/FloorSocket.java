package io.taskpulse.bench.baseline;

import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

/** Baseline (c), the floor: sessions that only ever receive {@link Floor#broadcast}. */
@ServerEndpoint("/floor")
public class FloorSocket {

    @Inject
    Floor floor;

    @OnOpen
    public void open(Session session) {
        // As TaskSocket does: no container idle timeout; Floor pings idle sessions instead. (Payara's Tyrus schedules
        // its idle-timeout task on every send all the same: see Floor for what that costs and how both avoid it.)
        session.setMaxIdleTimeout(0);
        floor.add(session);
    }

    @OnClose
    public void close(Session session) {
        floor.remove(session);
    }

    @OnError
    public void error(Session session, Throwable error) {
        floor.remove(session);
    }
}
