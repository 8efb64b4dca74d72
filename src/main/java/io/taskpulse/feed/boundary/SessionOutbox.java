package io.taskpulse.feed.boundary;

import io.taskpulse.feed.control.FeedMessage;
import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only writer of one WebSocket session. Messages queue here and go out one at a time, each send started
 * when the previous one completed: Tomcat throws on concurrent sends, Tyrus would block the caller, and a
 * broadcast must do neither. The feed queues under its lock ({@link #accept}); the first send starts only in
 * {@link #flush}, after the feed released its lock, because a container may complete or fail a send, and close
 * the session, on the calling thread.
 * <p>
 * Conflation: a task's status is state, not a stream. When {@code limit} messages wait, the queue is dropped and
 * the outbox only remembers that it is behind. When the message on the wire is through, it asks the feed to
 * {@linkplain TaskFeed#catchUp catch it up} from the revision of that message: one message with the newest state
 * of each task that changed since. So a slow client holds at most {@code limit} references to shared messages
 * plus one message of its own, however long it lags, and still ends with exactly the server's state.
 * <p>
 * A long message goes out in its {@linkplain FeedMessage#parts() parts}, one after another: the container then holds
 * one part per session, not a copy of the whole snapshot per session. Its parts are never split up by conflation:
 * the message on the wire always goes out whole.
 * <p>
 * A message that has not gone out after the send timeout means the client stopped reading: {@link Sockets}
 * closes it with {@value #TOO_SLOW}, and it resumes later from its revision. A failed send leaves the closing to the
 * container, and to {@link Sockets} if the container does not.
 * <p>
 * Every call into the container's send runs with the platform class loader as the thread's context class loader
 * ({@link #containerCall}), and the completion gets the application's back for our own work ({@link #sent}). Tyrus
 * (Payara) schedules an idle-timeout task on the default managed scheduled executor for every frame it sends, and
 * Payara captures the context of each managed task with a {@code ServiceLoader} lookup through the thread's context
 * class loader: through the web application's, that lookup reads every jar of the class path, and it was 71–77 % of
 * the fan-out's CPU (JFR, docs/benchmarks.md). Through the platform loader it finds the same nothing at once.
 * Tomcat (TomEE) schedules nothing per send; the swap costs it two field writes.
 */
final class SessionOutbox implements TaskFeed.Sink {

    /** Close code for a client that stopped reading. It should reconnect with ?since=its revision. */
    static final int TOO_SLOW = 4000;

    private static final Logger LOG = Logger.getLogger(SessionOutbox.class.getName());
    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    /** TaskPulse's own loader: what a completion's work (catch-up, closing) runs with, whoever's thread it is on. */
    private static final ClassLoader APPLICATION = SessionOutbox.class.getClassLoader();
    private static volatile Sized lastSized;

    private final Session session;
    private final int limit;
    private final LongConsumer catchUp;
    private final Metrics metrics;
    /** Empty or one message deep nearly always: sized for that, it grows when a client lags. */
    private final ArrayDeque<Frame> queue = new ArrayDeque<>(2);
    private boolean sending;
    /** {@link #sending} was taken by a queueing call: the next {@link #flush} starts the send loop. */
    private boolean startPending;
    private boolean behind;
    private boolean closed;
    private boolean dropped;
    /** Runs once nothing of ours is on the wire any more (see {@link #whenIdle}). */
    private Runnable onIdle;
    /** The revision of the last message handed to the container: what the client holds once it read it. */
    private long wireRevision = -1;
    /** The message on the wire, and how many of its parts went out. */
    private FeedMessage onWire;
    private int partsSent;
    /** The part on the wire, counted in the metrics once it is through. */
    private String partOnWire;
    /** System.nanoTime() when the send on the wire started, while one is. */
    private long sendStarted;
    /** Whether and when (System.nanoTime()) a send failed. */
    private boolean sendFailed;
    private long failedAt;
    /** A sendText call is running, and whether its send completed during it (see {@link #sendNext}). */
    private boolean inSendCall;
    private boolean completedInCall;

    /**
     * @param catchUp   asks the feed for a catch-up from a revision (answered through {@link #caughtUp})
     */
    SessionOutbox(Session session, int limit, LongConsumer catchUp, Metrics metrics) {
        this.session = session;
        this.limit = limit;
        this.catchUp = catchUp;
        this.metrics = metrics;
    }

    /** Under the feed's lock: queues a message, or drops it when a catch-up will cover it. Never sends. */
    @Override
    public synchronized void accept(long revision, FeedMessage message) {
        if (closed) {
            return;
        }
        if (behind) {
            metrics.conflated(1);
            return;
        }
        if (queue.size() >= limit) {
            metrics.conflated(queue.size() + 1L);
            metrics.queued(-queue.size());
            queue.clear();
            behind = true;
            return;
        }
        enqueue(revision, message);
    }

    /** Under the feed's lock, like {@link #accept}. */
    @Override
    public synchronized void caughtUp(long revision, FeedMessage message) {
        if (closed) {
            return;
        }
        behind = false;
        enqueue(revision, message);
    }

    /** Outside the feed's lock: starts sending what was queued, unless a send is under way already. */
    @Override
    public void flush() {
        synchronized (this) {
            if (!startPending) {
                return;
            }
            startPending = false;
        }
        sendNext();
    }

    /** The feed dropped this sink (it threw): nothing more comes, and the sweep closes the session with 1011. */
    @Override
    public synchronized void dropped() {
        discard();
        dropped = true;
    }

    /** Whether the feed dropped this sink: the session must be closed, its client resumes elsewhere or later. */
    synchronized boolean wasDropped() {
        return dropped;
    }

    private void enqueue(long revision, FeedMessage message) {
        queue.add(new Frame(revision, message));
        metrics.queued(1);
        if (!sending) {
            // The wire is ours from here on; the flush that follows the feed's lock starts it. The send timeout counts
            // from now, not from this outbox's last send (or 0, for a new one): see stuck().
            sending = true;
            startPending = true;
            sendStarted = System.nanoTime();
        }
    }

    /**
     * Discards what is queued and runs {@code action} as soon as no send is in flight: at once when none is, else when
     * the send on the wire completes or fails. For closing: a close frame written during a send is lost on Tomcat.
     */
    void whenIdle(Runnable action) {
        synchronized (this) {
            discard();
            if (sending && !startPending) {
                onIdle = action;
                return;
            }
        }
        action.run();
    }

    private void becameIdle() {
        Runnable action;
        synchronized (this) {
            action = onIdle;
            onIdle = null;
        }
        if (action != null) {
            action.run();
        }
    }

    /**
     * Sends until a send is in flight or nothing is left. A loop, not recursion: containers often complete a send
     * on the calling thread, and a snapshot has many parts; a completion during the call hands back to this loop.
     */
    private void sendNext() {
        boolean askedCatchUp = false;
        while (true) {
            String part = null;
            long catchUpFrom = -1;
            synchronized (this) {
                if (onWire == null) {
                    Frame next = closed ? null : queue.poll();
                    if (next != null) {
                        metrics.queued(-1);
                        onWire = next.message();
                        partsSent = 0;
                        wireRevision = next.revision();
                    } else if (behind && !closed && !askedCatchUp) {
                        // Messages were dropped: the client holds the last message that went out (none, if the queue
                        // overflowed before the first send started) and catches up from there. Once per call: when
                        // the feed sends nothing back (it is reloading, or dropped this sink), the outbox idles.
                        catchUpFrom = wireRevision;
                        askedCatchUp = true;
                    } else {
                        sending = false;
                        break;
                    }
                } else if (closed) {
                    sending = false;
                    break;
                }
                if (onWire != null) {
                    part = onWire.parts().get(partsSent);
                    partOnWire = part;
                    sendStarted = System.nanoTime();
                    inSendCall = true;
                    completedInCall = false;
                }
            }
            if (part == null) {
                // Still "sending": the catch-up lands in the queue and the next round sends it (the feed's flush
                // finds nothing to start). Not under this outbox's lock: the feed's lock is taken inside.
                catchUp.accept(catchUpFrom);
                continue;
            }
            try {
                if (!session.isOpen()) {
                    // Gone already: a late write could land in whatever the container reuses the connection for.
                    throw new IllegalStateException("session closed");
                }
                String text = part;
                containerCall(() -> session.getAsyncRemote().sendText(text, this::sent));
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    inSendCall = false;
                }
                failed(e);
                return;
            }
            synchronized (this) {
                inSendCall = false;
                if (!completedInCall) {
                    return; // the completion comes later and carries on
                }
            }
        }
        becameIdle();
    }

    /** The container's completion of a send: on its thread, or on ours inside {@link #containerCall}. */
    private void sent(SendResult result) {
        Thread thread = Thread.currentThread();
        ClassLoader callers = thread.getContextClassLoader();
        thread.setContextClassLoader(APPLICATION);
        try {
            completed(result);
        } finally {
            thread.setContextClassLoader(callers);
        }
    }

    private void completed(SendResult result) {
        if (!result.isOK()) {
            failed(result.getException());
            return;
        }
        synchronized (this) {
            metrics.sent(Transport.WEBSOCKET, utf8Length(partOnWire));
            partOnWire = null;
            if (onWire != null && ++partsSent == onWire.parts().size()) {
                onWire = null; // a client that fell behind gets its catch-up from sendNext, next
            }
        }
        synchronized (this) {
            if (inSendCall) {
                completedInCall = true;
                return;
            }
        }
        sendNext();
    }

    /**
     * A send failed. It does not close the session: a send fails mostly because the container is closing the
     * connection already (the client broke the protocol: Tomcat fails it with 1007 for invalid UTF-8) or the
     * connection broke, and a close of ours could overtake the container's close frame and hide its code. The sweep
     * closes a session that is still open a little later ({@link #failedBefore}).
     */
    private void failed(Throwable cause) {
        synchronized (this) {
            discard();
            failedAt = System.nanoTime();
            sendFailed = true;
            sending = false;
        }
        LOG.log(Level.FINE, "Send failed on session {0}: {1}", new Object[]{session.getId(), cause});
        becameIdle();
    }

    /** Whether a send failed more than {@code graceNanos} before {@code now}: the session should be closed by now. */
    synchronized boolean failedBefore(long now, long graceNanos) {
        return sendFailed && now - failedAt > graceNanos;
    }

    /**
     * @return whether a message has been on its way for longer than {@code timeoutNanos}: the client stopped
     * reading. The outbox is then discarded; the caller closes the session.
     */
    synchronized boolean stuck(long now, long timeoutNanos) {
        // A message queued but not yet flushed is not on the wire: the flush after the feed's lock is coming (with a
        // thousand outboxes it may come seconds later). Judged stuck only once a send has started and not completed.
        if (closed || !sending || startPending || now - sendStarted <= timeoutNanos) {
            return false;
        }
        discard();
        return true;
    }

    /** Whether nothing is on its way. */
    synchronized boolean idle() {
        return !sending && !closed;
    }

    /**
     * Pings the client if nothing is on its way, holding the wire for the call: a message queued meanwhile goes out
     * after the ping. Checking {@link #idle()} and then pinging let a message start between the two, and a ping and a
     * message written at once by two threads interleaved their bytes (a JDK client found invalid UTF-8 in an ASCII
     * snapshot part: bench/heap-probe, docs/benchmarks.md).
     *
     * @return whether it pinged
     */
    boolean pingIfIdle() {
        synchronized (this) {
            if (sending || closed) {
                return false;
            }
            sending = true;
            sendStarted = System.nanoTime();
        }
        try {
            containerCall(() -> session.getAsyncRemote().sendPing(ByteBuffer.allocate(0)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Ping failed on session {0}: {1}", new Object[]{session.getId(), e.toString()});
        }
        sendNext(); // what was queued during the ping, or idle again (and a waiting close runs)
        return true;
    }

    /**
     * Runs a call into the container's send with the platform class loader as the thread's context class loader, and
     * puts the caller's back after it, also when it throws. See the class comment for why.
     */
    private static void containerCall(ContainerCall call) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader callers = thread.getContextClassLoader();
        thread.setContextClassLoader(PLATFORM);
        try {
            call.run();
        } finally {
            thread.setContextClassLoader(callers);
        }
    }

    @FunctionalInterface
    private interface ContainerCall {
        void run() throws IOException;
    }

    synchronized void discard() {
        closed = true;
        onWire = null;
        metrics.queued(-queue.size());
        queue.clear();
    }

    /** A broadcast hands every session the same String: its size is computed once, not once per client. */
    private static long utf8Length(String text) {
        Sized last = lastSized;
        if (last != null && last.text() == text) {
            return last.bytes();
        }
        long bytes = Metrics.utf8Length(text);
        lastSized = new Sized(text, bytes);
        return bytes;
    }

    private record Sized(String text, long bytes) {
    }

    private record Frame(long revision, FeedMessage message) {
    }
}
