package io.taskpulse.feed.boundary;

import io.taskpulse.access.boundary.LoginSockets;
import io.taskpulse.configuration.Settings;
import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every open WebSocket of this server, and the one sweep that looks after them all (a container-managed task,
 * not a timer per socket): it pings idle sockets, closes a peer that left a ping unanswered (4001), a client
 * whose message has not gone out within the send timeout (4000), a session still open 2 s after a send to it
 * failed (1001), and one whose outbox the feed dropped because handing it a message failed (1011). On shutdown it closes every socket with 1001,
 * so clients reconnect at once, to this server when it is back or to another.
 * It also caps the sockets one remote address may hold, and is the endpoint's one door to the feed and the logins
 * (see {@link TaskSocket#sockets}).
 */
@ApplicationScoped
public class Sockets {

    /** Close code for a peer that did not answer a ping: it is gone, or a proxy ate the connection. */
    static final int NO_PONG = 4001;
    /** How long a session whose send failed may stay open before the sweep closes it: the container usually has. */
    private static final long FAILED_SEND_GRACE_NANOS = 2_000_000_000L;
    /** How long a close waits for the send on the wire to complete before it goes ahead anyway. */
    static final long CLOSE_PATIENCE_MILLIS = 2000;

    private static final Logger LOG = Logger.getLogger(Sockets.class.getName());

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Resource
    ManagedExecutorService closer;

    @Inject
    Settings settings;

    @Inject
    Metrics metrics;

    @Inject
    TaskFeed feed;

    /** When reading needs a login: the sockets of each login, closed when it logs out. */
    @Inject
    LoginSockets logins;

    private final Set<TaskSocket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private ScheduledFuture<?> sweeps;
    private long sendTimeoutNanos;
    private long pingNanos;
    private int perAddressLimit;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        sendTimeoutNanos = settings.sendTimeout().toNanos();
        pingNanos = settings.pingInterval().toNanos();
        perAddressLimit = settings.socketsPerAddress();
        long every = Math.max(50, Math.min(1000, Math.min(sendTimeoutNanos, pingNanos) / 2_000_000));
        sweeps = scheduler.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** @return false when the socket's address holds its share already: the caller closes it. */
    boolean admit(TaskSocket socket) {
        String address = socket.address();
        if (address != null) {
            boolean[] admitted = {false};
            perAddress.compute(address, (key, count) -> {
                int now = count == null ? 0 : count;
                admitted[0] = now < perAddressLimit;
                return admitted[0] ? now + 1 : count;
            });
            if (!admitted[0]) {
                return false;
            }
        }
        open.add(socket);
        metrics.sessionOpened(Transport.WEBSOCKET);
        return true;
    }

    /** Forgets a socket; only the first call for an admitted socket counts. */
    void remove(TaskSocket socket) {
        if (!open.remove(socket)) {
            return;
        }
        metrics.sessionClosed(Transport.WEBSOCKET);
        if (socket.address() != null) {
            perAddress.computeIfPresent(socket.address(), (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    int perAddressLimit() {
        return perAddressLimit;
    }

    Metrics metrics() {
        return metrics;
    }

    TaskFeed feed() {
        return feed;
    }

    LoginSockets logins() {
        return logins;
    }

    int outboxLimit() {
        return settings.outboxLimit();
    }

    /** Open sockets on this server. */
    public int openCount() {
        return open.size();
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            int slow = 0;
            int dead = 0;
            for (TaskSocket socket : open) {
                if (socket.outbox() == null) {
                    continue;
                }
                if (socket.outbox().wasDropped()) {
                    closeLater(socket, CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(),
                            "server error: reconnect with ?since=<your revision>");
                } else if (socket.outbox().failedBefore(now, FAILED_SEND_GRACE_NANOS)) {
                    closeLater(socket, CloseReason.CloseCodes.GOING_AWAY.getCode(), "send failed");
                } else if (socket.outbox().stuck(now, sendTimeoutNanos)) {
                    slow++;
                    metrics.closedAsTooSlow();
                    closeLater(socket, SessionOutbox.TOO_SLOW, "too slow: reconnect with ?since=<your revision>");
                } else if (socket.pingUnanswered(now, pingNanos)) {
                    dead++;
                    metrics.closedAsDead();
                    closeLater(socket, NO_PONG, "no answer to ping");
                } else if (socket.pingDue(now, pingNanos)) {
                    socket.ping(now);
                }
            }
            if (slow + dead > 0) {
                LOG.log(Level.INFO, "Closing {0} WebSocket(s) that stopped reading (4000) and {1} that stopped answering pings (4001)",
                        new Object[]{slow, dead});
            }
        } catch (RuntimeException e) {
            // An exception escaping a scheduled task would cancel it silently.
            LOG.log(Level.WARNING, "WebSocket sweep failed", e);
        }
    }

    /**
     * Closes once the outbox has nothing on the wire (see {@link SessionOutbox#whenIdle}), off the caller's thread; and
     * in any case after {@link #CLOSE_PATIENCE_MILLIS}, for a send that never completes. Closing twice is harmless.
     */
    void closeWhenIdle(SessionOutbox outbox, Session session, int code, String reason) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable close = () -> {
            if (done.compareAndSet(false, true)) {
                close(session, code, reason);
            }
        };
        try {
            scheduler.schedule(close, CLOSE_PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
            outbox.whenIdle(() -> {
                try {
                    closer.execute(close);
                } catch (RejectedExecutionException e) {
                    close.run();
                }
            });
        } catch (RejectedExecutionException e) {
            close.run();
        }
    }

    /** Off the sweep's thread: closing a stuck connection may block (Tomcat writes the close frame blocking). */
    private void closeLater(TaskSocket socket, int code, String reason) {
        remove(socket);
        closeWhenIdle(socket.outbox(), socket.session(), code, reason);
    }

    @PreDestroy
    void stop() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
        int count = open.size();
        for (TaskSocket socket : List.copyOf(open)) {
            remove(socket);
            if (socket.outbox() != null) {
                socket.outbox().discard();
            }
            close(socket.session(), CloseReason.CloseCodes.GOING_AWAY.getCode(), "server shutting down");
        }
        LOG.log(Level.INFO, "Closed {0} WebSocket(s) with 1001 on shutdown", count);
    }

    static void close(Session session, int code, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "Closing session {0} failed: {1}", new Object[]{session.getId(), e.toString()});
        }
    }
}
