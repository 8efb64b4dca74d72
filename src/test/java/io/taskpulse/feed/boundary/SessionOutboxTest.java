package io.taskpulse.feed.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.feed.control.FeedMessage;
import io.taskpulse.changes.entity.Change;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox against a session whose sends complete when the test says so, like a client reading at its pace. */
class SessionOutboxTest {

    private final List<String> wire = new ArrayList<>();
    private final List<SendHandler> pending = new ArrayList<>();
    private final List<Long> catchUps = new ArrayList<>();
    private final List<Object> closes = new ArrayList<>();
    private final Metrics metrics = new Metrics();
    private SessionOutbox outbox;
    /** The thread's context class loader in each call into the session's send, in order. */
    private final List<ClassLoader> loadersInSends = new ArrayList<>();
    /** Runs while the session writes a ping: what another thread does meanwhile. */
    private Runnable duringPing = () -> { };

    @BeforeEach
    void outboxOfTwo() {
        outbox = new SessionOutbox(session(), 2, catchUps::add, metrics);
    }

    @Test
    void queueingNeverSendsOnlyTheFlushAfterTheFeedsLockDoes() {
        outbox.accept(1, FeedMessage.plain("m1"));
        outbox.accept(2, FeedMessage.plain("m2"));
        assertEquals(List.of(), wire);

        outbox.flush();
        outbox.flush();

        assertEquals(List.of("m1"), wire);
        complete();
        assertEquals(List.of("m1", "m2"), wire);
    }

    @Test
    void droppedOutboxSendsNothingMoreAndAsksToBeClosed() {
        offer(1, FeedMessage.plain("m1"));
        outbox.accept(2, FeedMessage.plain("m2"));
        assertFalse(outbox.wasDropped());

        outbox.dropped();
        complete();
        offer(3, FeedMessage.plain("m3"));

        assertEquals(List.of("m1"), wire);
        assertTrue(outbox.wasDropped());
        assertEquals(0, metrics.queuedMessages());
    }

    /** Tomcat drops a close frame written while a send is in flight: the close waits for the send to complete. */
    @Test
    void closeWaitsUntilTheSendOnTheWireCompletesAndNothingMoreGoesOut() {
        List<String> closed = new ArrayList<>();
        offer(1, FeedMessage.plain("m1"));
        outbox.accept(2, FeedMessage.plain("m2"));

        outbox.whenIdle(() -> closed.add("closed after " + wire));
        assertEquals(List.of(), closed, "m1 is still on its way");
        complete();

        assertEquals(List.of("closed after [m1]"), closed);
        outbox.whenIdle(() -> closed.add("at once"));
        assertEquals(List.of("closed after [m1]", "at once"), closed);
    }

    @Test
    void messagesGoOutOneAtATimeInOrder() {
        offer(1, FeedMessage.plain("m1"));
        offer(2, FeedMessage.plain("m2"));
        offer(3, FeedMessage.plain("m3"));
        assertEquals(List.of("m1"), wire);

        complete();
        complete();

        assertEquals(List.of("m1", "m2", "m3"), wire);
        assertEquals(0, metrics.conflations());
        // Counted once through: m3 is still on its way.
        assertEquals(2, metrics.messagesSent(Transport.WEBSOCKET));
        assertEquals(4, metrics.bytesSent(Transport.WEBSOCKET));
    }

    @Test
    void clientThatFallsBehindGetsOneCatchUpFromWhatItHoldsInsteadOfTheBacklog() {
        offer(1, FeedMessage.plain("m1"));          // on the wire
        offer(2, FeedMessage.plain("m2"));
        offer(3, FeedMessage.plain("m3"));          // queue full
        offer(4, FeedMessage.plain("m4"));          // behind: the queue is dropped
        offer(5, FeedMessage.plain("m5"));          // dropped too

        complete();                       // m1 is through: the client holds revision 1
        assertEquals(List.of(1L), catchUps);
        caughtUp(5, FeedMessage.plain("changes 1..5"));

        assertEquals(List.of("m1", "changes 1..5"), wire);
        assertEquals(4, metrics.conflations());
        assertEquals(0, metrics.queuedMessages());
        // Caught up: the next message queues normally.
        complete();
        offer(6, FeedMessage.plain("m6"));
        assertEquals(List.of("m1", "changes 1..5", "m6"), wire);
    }

    /**
     * More messages than the limit queued before the flush that starts the send (a limit of 1, two broadcasts from two
     * threads): the queue is dropped before any of it went out, no completion will ask for the catch-up, and without
     * one the client would miss every later change.
     */
    @Test
    void queueDroppedBeforeAnythingWentOutStillCatchesUpFromWhatTheClientHolds() {
        outbox = new SessionOutbox(session(), 1, catchUps::add, metrics);
        outbox.accept(1, FeedMessage.plain("m1"));
        outbox.accept(2, FeedMessage.plain("m2"));

        outbox.flush();

        assertEquals(List.of(-1L), catchUps, "nothing went out: the catch-up starts from nothing (a reset snapshot)");
        caughtUp(2, FeedMessage.plain("c2"));
        offer(3, FeedMessage.plain("m3"));
        complete();
        assertEquals(List.of("c2", "m3"), wire);
    }

    @Test
    void sendStuckLongerThanTheTimeoutMarksTheClientTooSlowAndDropsItsQueue() {
        offer(1, FeedMessage.plain("m1"));
        offer(2, FeedMessage.plain("m2"));
        long now = System.nanoTime();

        assertFalse(outbox.stuck(now, 60_000_000_000L));
        assertTrue(outbox.stuck(now + 61_000_000_000L, 60_000_000_000L));

        complete();
        offer(3, FeedMessage.plain("m3"));
        assertEquals(List.of("m1"), wire);
    }

    /**
     * A new client's snapshot is queued under the feed's lock and sent by the flush after it; under load (a thousand
     * outboxes flushed one after another) the sweep can run in between. A message not yet on the wire is not a client
     * that stopped reading: before the fix the sweep compared with the last send's start, 0 for a new outbox, and
     * closed fresh clients with 4000 before their snapshot (the bench's source phase on MariaDB, FeedChurnIT).
     */
    @Test
    void aMessageQueuedButNotYetFlushedIsNotAStuckSend() {
        outbox.accept(1, FeedMessage.plain("snapshot"));
        long now = System.nanoTime();
        assertFalse(outbox.stuck(now, 5_000_000_000L), "a new client, its snapshot not flushed yet");
        outbox.flush();
        assertEquals(List.of("snapshot"), wire);
        assertFalse(outbox.stuck(System.nanoTime(), 5_000_000_000L));
        complete();
        // Idle for longer than the timeout, then a change is queued: the time counts from its send, not the last one.
        outbox.accept(2, FeedMessage.plain("change"));
        assertFalse(outbox.stuck(System.nanoTime(), 5_000_000_000L), "queued after an idle spell: not stuck");
    }

    @Test
    void idleOnlyWhenNothingIsOnTheWire() {
        assertTrue(outbox.idle());
        offer(1, FeedMessage.plain("m1"));
        assertFalse(outbox.idle());
        complete();
        assertTrue(outbox.idle());
    }

    /**
     * A message queued while a ping is being written goes out after it, never beside it: two writes at once from two
     * threads interleaved their bytes on Payara (a JDK client found invalid UTF-8 in an ASCII snapshot part, 1–2 of
     * 1,000 sockets in 5 of 12 runs of bench/heap-probe). And no ping while a message is on its way.
     */
    @Test
    void aMessageQueuedDuringAPingGoesOutAfterItAndNoPingOvertakesAMessage() {
        duringPing = () -> offer(1, FeedMessage.plain("m1"));
        assertTrue(outbox.pingIfIdle());
        assertEquals(List.of("ping…", "…ping", "m1"), wire);

        duringPing = () -> { };
        assertFalse(outbox.pingIfIdle(), "m1 is on its way");
        complete();
        assertTrue(outbox.pingIfIdle());
        assertEquals(List.of("ping…", "…ping", "m1", "ping…", "…ping"), wire);
        assertTrue(outbox.idle());
    }

    @Test
    void partsOfALongMessageGoOutOneAtATimeAndConflationNeverCutsThem() {
        FeedMessage snapshot = longSnapshot(7, 200, 100);
        assertTrue(snapshot.parts().size() >= 3, snapshot.parts().size() + " parts");
        offer(7, snapshot);
        offer(8, FeedMessage.plain("m8"));
        offer(9, FeedMessage.plain("m9"));
        offer(10, FeedMessage.plain("m10"));   // over the limit of two: behind, the queue is dropped
        assertEquals(List.of(snapshot.parts().get(0)), wire);

        for (int i = 1; i < snapshot.parts().size(); i++) {
            complete();
            assertEquals(snapshot.parts().subList(0, i + 1), wire);
            assertTrue(catchUps.isEmpty(), "no catch-up before the whole snapshot is through");
        }
        complete();

        // The client holds the snapshot's revision only now, and catches up from there.
        assertEquals(List.of(7L), catchUps);
        assertEquals(snapshot.parts().size(), metrics.messagesSent(Transport.WEBSOCKET));
    }

    @Test
    void sessionThatCompletesSendsOnTheCallingThreadGetsEveryPartWithoutDeepRecursion() {
        outbox = new SessionOutbox(session(true), 2, catchUps::add, metrics);
        // One task per part: 5,000 parts.
        FeedMessage snapshot = longSnapshot(20, 5_000, FeedMessage.PART_BYTES / 2 + 100);
        assertEquals(5_000, snapshot.parts().size());

        offer(20, snapshot);

        assertEquals(snapshot.parts(), wire);
        assertTrue(outbox.idle());
    }

    @Test
    void failedSendLeavesTheClosingToTheContainerAndIsReportedToTheSweepLater() {
        offer(1, FeedMessage.plain("m1"));
        offer(2, FeedMessage.plain("m2"));
        long failed = System.nanoTime();

        pending.remove(0).onResult(new SendResult(new java.io.IOException("connection closing")));

        assertEquals(List.of("m1"), wire);
        assertEquals(0, closes.size(), "no close of ours to overtake the container's close frame");
        assertFalse(outbox.failedBefore(failed, 2_000_000_000L));
        assertTrue(outbox.failedBefore(failed + 3_000_000_000L, 2_000_000_000L));
        assertFalse(outbox.idle(), "no pings to a session whose send failed");
    }

    /**
     * Tyrus schedules a managed task per frame and Payara looks up context providers through the thread's context
     * class loader for each: through the application's, that read every jar, most of the fan-out's CPU. The
     * container's send sees the platform loader; the completion's work (a catch-up builds messages) sees the
     * application's, whichever thread completes; the caller's own loader is back after every call, also after a throw.
     */
    @Test
    void containerSendsSeeThePlatformLoaderAndTheCompletionsWorkTheApplications() {
        ClassLoader callers = new ClassLoader(null) { };
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        List<ClassLoader> inCatchUp = new ArrayList<>();
        outbox = new SessionOutbox(session(), 1, since -> {
            inCatchUp.add(Thread.currentThread().getContextClassLoader());
            catchUps.add(since);
        }, metrics);
        Thread.currentThread().setContextClassLoader(callers);
        try {
            offer(1, FeedMessage.plain("m1"));
            offer(2, FeedMessage.plain("m2"));
            offer(3, FeedMessage.plain("m3")); // one waits already: m3 makes the outbox catch up after m1
            assertEquals(callers, Thread.currentThread().getContextClassLoader());

            complete();
            assertEquals(List.of(1L), catchUps);
            assertEquals(List.of(SessionOutbox.class.getClassLoader()), inCatchUp);
            assertEquals(callers, Thread.currentThread().getContextClassLoader());

            caughtUp(3, FeedMessage.plain("c3"));
            complete();
            assertTrue(outbox.pingIfIdle());
            assertEquals(List.of("m1", "c3", "ping…", "…ping"), wire);
            assertEquals(List.of(ClassLoader.getPlatformClassLoader()), loadersInSends.stream().distinct().toList());
            assertEquals(3, loadersInSends.size());
            assertEquals(callers, Thread.currentThread().getContextClassLoader());

            outbox = new SessionOutbox(failingSession(), 2, catchUps::add, metrics);
            offer(4, FeedMessage.plain("m4"));
            assertEquals(callers, Thread.currentThread().getContextClassLoader(), "back after the send threw");
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    /** A snapshot at {@code revision} of {@code tasks} tasks of {@code bytes} bytes each (all the same JSON). */
    private static FeedMessage longSnapshot(long revision, int tasks, int bytes) {
        String json = "{\"name\":\"" + "n".repeat(bytes - 12) + "\"}";
        List<Change> changes = new ArrayList<>();
        for (int id = 1; id <= tasks; id++) {
            changes.add(new Change(id, id, json));
        }
        return FeedMessage.listing("{\"type\":\"snapshot\",\"revision\":" + revision, changes, false);
    }

    /** What the feed does: queue under its lock, then flush once the lock is released. */
    private void offer(long revision, FeedMessage message) {
        outbox.accept(revision, message);
        outbox.flush();
    }

    private void caughtUp(long revision, FeedMessage message) {
        outbox.caughtUp(revision, message);
        outbox.flush();
    }

    private void complete() {
        pending.remove(0).onResult(new SendResult());
    }

    private Session session() {
        return session(false);
    }

    /** @param inline whether sends complete at once, on the sending thread (containers often do) */
    private Session session(boolean inline) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("send")) {
                        loadersInSends.add(Thread.currentThread().getContextClassLoader());
                    }
                    if (method.getName().equals("sendText") && args.length == 2) {
                        wire.add((String) args[0]);
                        if (inline) {
                            ((SendHandler) args[1]).onResult(new SendResult());
                        } else {
                            pending.add((SendHandler) args[1]);
                        }
                        return null;
                    }
                    if (method.getName().equals("sendPing")) {
                        wire.add("ping…");
                        duringPing.run();
                        wire.add("…ping");
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "test";
                    case "isOpen" -> true;
                    case "close" -> closes.add(args == null ? "close" : args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A session whose send throws, as a container's does when the connection is closing. */
    private Session failingSession() {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    throw new IllegalStateException("closing");
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> "failing";
                    case "isOpen" -> true;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
