package io.taskpulse.bench.baseline;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor's registry: the sessions to broadcast to, the broadcast itself, and the keep-alive pings any WebSocket
 * server in production sends.
 * <p>
 * Two things make it what any broadcast on these servers must at least cost, no more:
 * <ul>
 * <li>Its sends run with the platform class loader as the thread's context class loader, as TaskPulse's do
 * ({@code SessionOutbox}): Payara's Tyrus schedules a managed task per frame sent, and Payara captures each task's
 * context with a class-path scan through that loader. A floor that paid the scan would measure Payara's quirk, not
 * the broadcast (TaskPulse measured 0.1–0.6× "the floor" at 1,000 sockets while it did, docs/benchmarks.md).</li>
 * <li>It pings every session when nothing was sent for {@value #PING_SECONDS} s, as TaskPulse pings its idle
 * sockets (at the same default interval): the container then holds read buffers for the pongs in both, and heap per
 * idle socket compares what each design keeps, not whether it checks its peers are alive.</li>
 * </ul>
 */
@ApplicationScoped
public class Floor {

    /** TaskPulse's default {@code taskpulse.websocket.ping}. */
    static final int PING_SECONDS = 10;

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile long lastSent = System.nanoTime();
    private ScheduledFuture<?> pings;

    @Resource
    ManagedScheduledExecutorService scheduler;

    void add(Session session) {
        sessions.add(session);
        synchronized (this) {
            if (pings == null) {
                pings = scheduler.scheduleWithFixedDelay(this::pingIfIdle, 1, 1, TimeUnit.SECONDS);
            }
        }
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
        lastSent = System.nanoTime();
        int[] sent = {0};
        withPlatformLoader(() -> {
            for (Session session : sessions) {
                if (session.isOpen()) {
                    session.getAsyncRemote().sendText(frame);
                    sent[0]++;
                }
            }
        });
        return sent[0];
    }

    private void pingIfIdle() {
        // an exception escaping a scheduled task cancels it silently: catch everything
        try {
            long now = System.nanoTime();
            if (now - lastSent < TimeUnit.SECONDS.toNanos(PING_SECONDS)) {
                return;
            }
            lastSent = now;
            withPlatformLoader(() -> {
                for (Session session : sessions) {
                    try {
                        if (session.isOpen()) {
                            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                        }
                    } catch (Exception e) {
                        // closing meanwhile: its close removes it
                    }
                }
            });
        } catch (RuntimeException e) {
            // keep pinging
        }
    }

    private static void withPlatformLoader(Runnable sends) {
        Thread thread = Thread.currentThread();
        ClassLoader callers = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            sends.run();
        } finally {
            thread.setContextClassLoader(callers);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (pings != null) {
            pings.cancel(false);
        }
    }
}
