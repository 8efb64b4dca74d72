package io.taskpulse.feed.control;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.changes.entity.ChangeBatch;
import io.taskpulse.changes.entity.FeedStalled;
import io.taskpulse.changes.entity.Headline;
import io.taskpulse.configuration.Settings;
import io.taskpulse.metrics.control.Metrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The feed in memory: every task's newest state by id and by revision, the subscribers, and the long-polls
 * waiting for the next change. Snapshots and resumes are answered from here, never from the database, so
 * reconnecting clients cost no queries.
 * <p>
 * One lock orders everything that a subscriber receives: every message (first snapshot, resume, batch) is
 * built and queued into each sink under the lock, so each subscriber gets revisions in order, without gap or repeat.
 * <p>
 * Nothing that runs under the lock may call back into the feed, send on a socket, close a session or answer a
 * long-poll: a container that completes or fails a send on the calling thread would otherwise run its callbacks
 * (close a session, cancel a subscription) in the middle of a broadcast. So under the lock a sink only
 * {@linkplain Sink#accept queues}; once the lock is released the feed asks each sink it queued into to
 * {@linkplain Sink#flush flush}, and answers the woken long-polls.
 * <p>
 * One subscriber never hurts another: a sink that throws is counted, logged and dropped on its own (and told so
 * through {@link Sink#dropped}, so its client reconnects); the others get the message. The feed's state moves to a
 * batch's revision only once the batch is known to follow it. A batch that does not follow is refused with
 * {@link OutOfStep}: the poller then reloads the whole state from the database (see ChangePoller), and every
 * client gets a reset snapshot.
 */
@ApplicationScoped
public class TaskFeed {

    private static final Logger LOG = Logger.getLogger(TaskFeed.class.getName());

    private static final Subscription[] NONE = new Subscription[0];

    /** Revision before the first load. */
    private static final long UNLOADED = -1;

    /** Package-visible for tests that check what runs under it. */
    final Object lock = new Object();
    private final Map<Long, Change> byTask = new TreeMap<>();
    private final NavigableMap<Long, Change> byRevision = new TreeMap<>();
    private final Set<Subscription> subscribers = new LinkedHashSet<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private long revision = UNLOADED;
    private long horizon;
    /** After a reload in flight, clients from before it ({@code since < resetFloor}) get a reset snapshot. */
    private long resetFloor = UNLOADED;
    private FeedMessage snapshot;
    private Instant lastSent = Instant.EPOCH;

    /** The poll interval; a heartbeat goes out when a poll found nothing and nothing was sent for this long. */
    long intervalMillis = 1000;
    Clock clock = Clock.systemUTC();

    @Inject
    Settings settings;

    @Inject
    Metrics metrics;

    @PostConstruct
    void configure() {
        intervalMillis = settings.pollInterval().toMillis();
    }

    /** The poller's batches arrive here (synchronous CDI event, on the poller's thread). */
    void onBatch(@Observes ChangeBatch batch) {
        if (batch.full()) {
            load(batch);
        } else {
            apply(batch);
        }
    }

    void load(ChangeBatch state) {
        List<Waiter> woken;
        FeedMessage message;
        Subscription[] targets;
        boolean reset;
        synchronized (lock) {
            reset = revision != UNLOADED;
            byTask.clear();
            byRevision.clear();
            state.changes().forEach(this::put);
            revision = state.to();
            message = FeedMessages.snapshot(revision, reset, intervalMillis, liveTasks());
            horizon = state.horizon();
            if (reset) {
                resetFloor = revision;
            }
            snapshot = null;
            targets = broadcast(message);
            woken = takeWaiters();
        }
        LOG.log(reset ? Level.WARNING : Level.INFO, reset
                ? "Feed reloaded at revision {0}: every client gets a reset snapshot"
                : "Feed loaded at revision {0}", state.to());
        flush(targets);
        answer(woken, new Reply(state.to(), message.text()));
    }

    /**
     * A delta from the poller. It must follow the feed's revision: otherwise the feed and the database disagree
     * (for whatever reason) and {@link OutOfStep} tells the poller to reload; nothing here changed.
     */
    void apply(ChangeBatch batch) {
        List<Waiter> woken;
        FeedMessage message;
        Subscription[] targets;
        synchronized (lock) {
            if (revision == UNLOADED) {
                return;
            }
            if (batch.from() != revision) {
                throw new OutOfStep("batch from " + batch.from() + " does not follow revision " + revision);
            }
            Instant now = clock.instant();
            if (batch.to() == revision) {
                batch.changes().forEach(this::put);
                horizon = Math.max(horizon, batch.horizon());
                forgetTombstonesThrough(horizon);
                targets = heartbeatIfQuiet(now);
                woken = List.of();
                message = null;
            } else {
                // Built before anything moves: if it fails, the feed is still exactly at its revision.
                message = FeedMessages.changes(batch.from(), batch.to(), batch.changes());
                batch.changes().forEach(this::put);
                horizon = Math.max(horizon, batch.horizon());
                forgetTombstonesThrough(horizon);
                revision = batch.to();
                snapshot = null;
                targets = broadcast(message);
                lastSent = now;
                woken = takeWaiters();
            }
        }
        flush(targets);
        if (message != null) {
            answer(woken, new Reply(batch.to(), message.text()));
        }
    }

    /** A poll found nothing: tell the subscribers the feed is alive, unless something went out lately. */
    private Subscription[] heartbeatIfQuiet(Instant now) {
        if (Duration.between(lastSent, now).toMillis() < intervalMillis * 9 / 10) {
            return NONE;
        }
        lastSent = now;
        return broadcast(FeedMessages.heartbeat(revision));
    }

    /**
     * Under the lock: queues one message into every subscriber, each with its own failure isolated. Iterates a copy,
     * so that nothing a sink does (even cancelling subscriptions, against the rules) can break the loop.
     *
     * @return the subscribers to {@linkplain #flush flush} once the lock is released
     */
    private Subscription[] broadcast(FeedMessage message) {
        Subscription[] targets = subscribers.toArray(NONE);
        List<Subscription> failed = null;
        for (Subscription subscriber : targets) {
            if (!subscriber.deliver(revision, message)) {
                failed = failed == null ? new ArrayList<>() : failed;
                failed.add(subscriber);
            }
        }
        if (failed != null) {
            failed.forEach(subscribers::remove);
        }
        return targets;
    }

    /** Outside the lock: each sink sends what it queued. A sink that fails here is dropped like one that failed to queue. */
    private void flush(Subscription... targets) {
        for (Subscription target : targets) {
            target.flush();
        }
    }

    private static void answer(List<Waiter> woken, Reply reply) {
        for (Waiter waiter : woken) {
            try {
                waiter.answer(reply);
            } catch (RuntimeException e) {
                // One long-poll's container trouble is its own.
                LOG.log(Level.FINE, "Long-poll answer failed: {0}", e.toString());
            }
        }
    }

    /**
     * A poll failed: tell every subscriber and long-poll that the data stands still at this revision. The next
     * quiet poll then sends a heartbeat at once, so "fresh again" follows as soon as the database answers.
     */
    void stale(@Observes FeedStalled stalled) {
        List<Waiter> woken;
        Reply reply;
        Subscription[] targets;
        synchronized (lock) {
            if (revision == UNLOADED) {
                return;
            }
            FeedMessage message = FeedMessages.stale(revision, stalled.reason());
            targets = broadcast(message);
            lastSent = Instant.EPOCH;
            woken = takeWaiters();
            reply = new Reply(revision, message.text());
        }
        flush(targets);
        answer(woken, reply);
    }

    /**
     * Registers a sink. Its first message is a snapshot, or with {@code since} the changes after it (or a reset
     * snapshot when the feed can no longer tell). Until the feed is loaded, the first message is the load's snapshot.
     */
    public Subscription subscribe(Sink sink, Long since) {
        Subscription subscription = new Subscription(sink);
        synchronized (lock) {
            subscribers.add(subscription);
            if (revision != UNLOADED
                    && !subscription.deliver(revision, since == null ? currentSnapshot() : resumeMessage(since))) {
                subscribers.remove(subscription);
            }
        }
        subscription.flush();
        return subscription;
    }

    /** A subscriber asks again for what followed {@code since} (it saw a gap, or it wants to re-sync). */
    public void resume(Subscription subscription, long since) {
        synchronized (lock) {
            if (revision == UNLOADED || !subscribers.contains(subscription)) {
                return;
            }
            if (!subscription.deliver(revision, resumeMessage(since))) {
                subscribers.remove(subscription);
            }
        }
        subscription.flush();
    }

    /**
     * Conflation for a subscriber that fell behind and dropped messages: hands it, through
     * {@link Sink#caughtUp}, one message with the newest state of every task changed after {@code since} (or a
     * reset snapshot). Under the lock, so the next batch it gets follows exactly.
     */
    public void catchUp(Subscription subscription, long since) {
        synchronized (lock) {
            if (revision == UNLOADED || !subscribers.contains(subscription)) {
                return;
            }
            if (!subscription.catchUp(revision, resumeMessage(since))) {
                subscribers.remove(subscription);
            }
        }
        subscription.flush();
    }

    /**
     * For the polling servlet: the message that brings a client at {@code since} up to date, or {@code null}
     * when it is already current. {@code since == null} asks for a snapshot.
     */
    public Reply poll(Long since) {
        synchronized (lock) {
            if (revision == UNLOADED) {
                return Reply.notReady();
            }
            if (since != null && since == revision) {
                return new Reply(revision, null);
            }
            return new Reply(revision, (since == null ? currentSnapshot() : resumeMessage(since)).text());
        }
    }

    /**
     * A long-poll: calls {@code answer} with the next reply after {@code since} (at once if one exists). The
     * returned waiter is cancelled when the client gives up.
     */
    public Waiter await(long since, Consumer<Reply> answer) {
        Waiter waiter = new Waiter(answer);
        Reply now;
        synchronized (lock) {
            if (revision == UNLOADED || since == revision) {
                waiters.add(waiter);
                return waiter;
            }
            now = new Reply(revision, resumeMessage(since).text());
        }
        answer(List.of(waiter), now);
        return waiter;
    }

    private FeedMessage resumeMessage(long since) {
        if (since < horizon || since > revision || since < resetFloor) {
            return FeedMessages.snapshot(revision, true, intervalMillis, liveTasks());
        }
        return FeedMessages.changes(since, revision, byRevision.tailMap(since, false).values());
    }

    private FeedMessage currentSnapshot() {
        if (snapshot == null) {
            snapshot = FeedMessages.snapshot(revision, false, intervalMillis, liveTasks());
        }
        return snapshot;
    }

    /**
     * Every live task's headline as the feed holds it now (what every board shows), for badges and gauges: read from
     * memory, so a README badge fetched a thousand times costs the database nothing. Empty before the first load.
     */
    public List<Headline> headlines() {
        synchronized (lock) {
            List<Headline> headlines = new ArrayList<>(byTask.size());
            for (Change change : byTask.values()) {
                if (change.headline() != null) {
                    headlines.add(change.headline());
                }
            }
            return headlines;
        }
    }

    /** Whether the feed has loaded the tasks from the database yet (until then {@link #headlines} knows nothing). */
    public boolean loaded() {
        synchronized (lock) {
            return revision != UNLOADED;
        }
    }

    private List<Change> liveTasks() {
        List<Change> live = new ArrayList<>(byTask.size());
        for (Change change : byTask.values()) {
            if (!change.deleted()) {
                live.add(change);
            }
        }
        return live;
    }

    private void put(Change change) {
        Change previous = byTask.put(change.taskId(), change);
        if (previous != null) {
            byRevision.remove(previous.revision());
        }
        byRevision.put(change.revision(), change);
    }

    private void forgetTombstonesThrough(long through) {
        Iterator<Change> old = byRevision.headMap(through, true).values().iterator();
        while (old.hasNext()) {
            Change change = old.next();
            if (change.deleted()) {
                old.remove();
                byTask.remove(change.taskId());
            }
        }
    }

    private List<Waiter> takeWaiters() {
        List<Waiter> taken = List.copyOf(waiters);
        waiters.clear();
        return taken;
    }

    /** The answer to a poll: {@code message == null} means "nothing new" (or, with revision -1, "not ready"). */
    public record Reply(long revision, String message) {

        static Reply notReady() {
            return new Reply(UNLOADED, null);
        }

        public boolean ready() {
            return revision != UNLOADED;
        }
    }

    /**
     * Where a subscriber's messages go, in order, each with the revision the client holds once it applied it.
     * {@link #accept} and {@link #caughtUp} are called under the feed's lock: they must only queue, never send,
     * block, close or call the feed. {@link #flush} follows outside the lock.
     */
    @FunctionalInterface
    public interface Sink {

        void accept(long revision, FeedMessage message);

        /** The answer to {@link #catchUp}: replaces whatever the sink dropped since the revision it asked from. */
        default void caughtUp(long revision, FeedMessage message) {
            accept(revision, message);
        }

        /** Outside the feed's lock, after messages were queued: start sending them. May call back into the feed. */
        default void flush() {
        }

        /** The feed dropped this sink because it threw: it gets nothing more, and should close its client. */
        default void dropped() {
        }
    }

    /** A registered sink; cancel it when the client goes. */
    public final class Subscription {

        private final Sink sink;
        /** Set under the lock when the sink failed; the feed tells the sink outside it. */
        private volatile boolean failed;
        /** The sink was told it is dropped (once). A plain field under this object's lock: no atomic per socket. */
        private boolean toldDropped;

        private Subscription(Sink sink) {
            this.sink = sink;
        }

        /** Under the lock. @return false when the sink threw: the caller removes this subscription */
        private boolean deliver(long revision, FeedMessage message) {
            return hand(revision, message, false);
        }

        private boolean catchUp(long revision, FeedMessage message) {
            return hand(revision, message, true);
        }

        private boolean hand(long revision, FeedMessage message, boolean caughtUp) {
            try {
                if (caughtUp) {
                    sink.caughtUp(revision, message);
                } else {
                    sink.accept(revision, message);
                }
                return true;
            } catch (RuntimeException e) {
                failed = true;
                subscriberFailed(e);
                return false;
            }
        }

        /** Outside the lock. */
        private void flush() {
            if (!failed) {
                try {
                    sink.flush();
                    return;
                } catch (RuntimeException e) {
                    failed = true;
                    subscriberFailed(e);
                    cancel();
                }
            }
            synchronized (this) {
                if (toldDropped) {
                    return;
                }
                toldDropped = true;
            }
            try {
                sink.dropped();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "A dropped subscriber failed to close: {0}", e.toString());
            }
        }

        public void cancel() {
            synchronized (lock) {
                subscribers.remove(this);
            }
        }
    }

    private void subscriberFailed(RuntimeException e) {
        metrics.subscriberFailed();
        // One broken sink must not stop the broadcast to the others; its client reconnects and resumes.
        LOG.log(Level.WARNING, "Dropping a subscriber whose sink failed; the others are unaffected", e);
    }

    /**
     * A batch that does not follow the feed's revision: the feed and the database disagree. Nothing changed in the
     * feed; the poller reloads the whole state.
     */
    public static final class OutOfStep extends IllegalStateException {

        OutOfStep(String message) {
            super(message);
        }
    }

    /** One long-poll, answered at most once. */
    public final class Waiter {

        private final Consumer<Reply> answer;
        private boolean done;

        private Waiter(Consumer<Reply> answer) {
            this.answer = answer;
        }

        private void answer(Reply message) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            answer.accept(message);
        }

        /** @return true when this call cancelled it, false when it was already answered */
        public boolean cancel() {
            synchronized (lock) {
                waiters.remove(this);
            }
            synchronized (this) {
                if (done) {
                    return false;
                }
                done = true;
                return true;
            }
        }
    }
}
