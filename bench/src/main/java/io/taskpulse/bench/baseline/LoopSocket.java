package io.taskpulse.bench.baseline;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Baseline (b), the tutorial's dwebsocket design: each connection has its own loop that queries all tasks and
 * sends the full list every 5 s, whether anything changed or not. The loop is a managed scheduled task per
 * session rather than a sleeping thread, which is kinder to the server than the original.
 */
@ServerEndpoint("/loop")
public class LoopSocket {

    private static final Logger LOG = Logger.getLogger(LoopSocket.class.getName());
    static final long PERIOD_SECONDS = 5;

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    AllTasks allTasks;

    private ScheduledFuture<?> loop;

    @OnOpen
    public void open(Session session) {
        // the tutorial queries, sleeps 5 s, then sends: the first list comes one period after connecting
        loop = scheduler.scheduleAtFixedRate(() -> tick(session), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    private void tick(Session session) {
        // an exception escaping a scheduled task cancels it silently: catch everything
        try {
            if (session.isOpen()) {
                session.getBasicRemote().sendText(allTasks.listJson());
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "loop of session {0} failed: {1}", new Object[]{session.getId(), e.getMessage()});
        }
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        stop();
    }

    @OnError
    public void error(Session session, Throwable error) {
        stop();
    }

    private void stop() {
        if (loop != null) {
            loop.cancel(false);
        }
    }
}
