package io.taskpulse.feed.control;

import io.taskpulse.feed.entity.Change;
import io.taskpulse.feed.entity.ChangeBatch;
import io.taskpulse.feed.entity.FeedStalled;
import io.taskpulse.configuration.Settings;
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
 * built and handed over under the lock, so each subscriber gets revisions in order, without gap or repeat.
 * Handing over never blocks: sinks only queue (see the WebSocket outbox).
 */
@ApplicationScoped
public class TaskFeed {

    private static final Logger LOG = Logger.getLogger(TaskFeed.class.getName());

    /** Revision before the first load. */
    private static final long UNLOADED = -1;

    private final Object lock = new Object();
    private final Map<Long, Change> byTask = new TreeMap<>();
    private final NavigableMap<Long, Change> byRevision = new TreeMap<>();
    private final Set<Subscription> subscribers = new LinkedHashSet<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private long revision = UNLOADED;
    private long horizon;
    private FeedMessage snapshot;
    private Instant lastSent = Instant.EPOCH;

    /** The poll interval; a heartbeat goes out when a poll found nothing and nothing was sent for this long. */
    long intervalMillis = 1000;
    Clock clock = Clock.systemUTC();

    @Inject
    Settings settings;

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
        synchronized (lock) {
            boolean reset = revision != UNLOADED;
            byTask.clear();
            byRevision.clear();
            state.changes().forEach(this::put);
            revision = state.to();
            horizon = state.horizon();
            snapshot = null;
            message = FeedMessages.snapshot(revision, reset, intervalMillis, liveTasks());
            subscribers.forEach(subscriber -> subscriber.deliver(revision, message));
            woken = takeWaiters();
        }
        LOG.log(Level.INFO, "Feed loaded at revision {0}", state.to());
        if (!woken.isEmpty()) {
            Reply reply = new Reply(state.to(), message.text());
            woken.forEach(waiter -> waiter.answer(reply));
        }
    }

    void apply(ChangeBatch batch) {
        List<Waiter> woken;
        FeedMessage message;
        synchronized (lock) {
            if (revision == UNLOADED) {
                return;
            }
            if (batch.from() != revision) {
                throw new IllegalStateException("batch from " + batch.from() + " does not follow revision " + revision);
            }
            batch.changes().forEach(this::put);
            horizon = Math.max(horizon, batch.horizon());
            forgetTombstonesThrough(horizon);
            Instant now = clock.instant();
            if (batch.to() == revision) {
                heartbeatIfQuiet(now);
                return;
            }
            revision = batch.to();
            snapshot = null;
            message = FeedMessages.changes(batch.from(), batch.to(), batch.changes());
            subscribers.forEach(subscriber -> subscriber.deliver(revision, message));
            lastSent = now;
            woken = takeWaiters();
        }
        if (!woken.isEmpty()) {
            Reply reply = new Reply(batch.to(), message.text());
            woken.forEach(waiter -> waiter.answer(reply));
        }
    }

    /** A poll found nothing: tell the subscribers the feed is alive, unless something went out lately. */
    private void heartbeatIfQuiet(Instant now) {
        if (Duration.between(lastSent, now).toMillis() < intervalMillis * 9 / 10) {
            return;
        }
        FeedMessage heartbeat = FeedMessages.heartbeat(revision);
        subscribers.forEach(subscriber -> subscriber.deliver(revision, heartbeat));
        lastSent = now;
    }

    /**
     * A poll failed: tell every subscriber and long-poll that the data stands still at this revision. The next
     * quiet poll then sends a heartbeat at once, so "fresh again" follows as soon as the database answers.
     */
    void stale(@Observes FeedStalled stalled) {
        List<Waiter> woken;
        Reply reply;
        synchronized (lock) {
            if (revision == UNLOADED) {
                return;
            }
            FeedMessage message = FeedMessages.stale(revision, stalled.reason());
            subscribers.forEach(subscriber -> subscriber.deliver(revision, message));
            lastSent = Instant.EPOCH;
            woken = takeWaiters();
            reply = new Reply(revision, message.text());
        }
        woken.forEach(waiter -> waiter.answer(reply));
    }

    /**
     * Registers a sink. Its first message is a snapshot, or with {@code since} the changes after it (or a reset
     * snapshot when the feed can no longer tell). Until the feed is loaded, the first message is the load's snapshot.
     */
    public Subscription subscribe(Sink sink, Long since) {
        synchronized (lock) {
            Subscription subscription = new Subscription(sink);
            subscribers.add(subscription);
            if (revision != UNLOADED) {
                subscription.deliver(revision, since == null ? currentSnapshot() : resumeMessage(since));
            }
            return subscription;
        }
    }

    /** A subscriber asks again for what followed {@code since} (it saw a gap, or it wants to re-sync). */
    public void resume(Subscription subscription, long since) {
        synchronized (lock) {
            if (revision != UNLOADED && subscribers.contains(subscription)) {
                subscription.deliver(revision, resumeMessage(since));
            }
        }
    }

    /**
     * Conflation for a subscriber that fell behind and dropped messages: hands it, through
     * {@link Sink#caughtUp}, one message with the newest state of every task changed after {@code since} (or a
     * reset snapshot). Under the lock, so the next batch it gets follows exactly.
     */
    public void catchUp(Subscription subscription, long since) {
        synchronized (lock) {
            if (revision != UNLOADED && subscribers.contains(subscription)) {
                subscription.sink.caughtUp(revision, resumeMessage(since));
            }
        }
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
        waiter.answer(now);
        return waiter;
    }

    private FeedMessage resumeMessage(long since) {
        if (since < horizon || since > revision) {
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
     * Called under the feed's lock: it must only queue, never block.
     */
    @FunctionalInterface
    public interface Sink {

        void accept(long revision, FeedMessage message);

        /** The answer to {@link #catchUp}: replaces whatever the sink dropped since the revision it asked from. */
        default void caughtUp(long revision, FeedMessage message) {
            accept(revision, message);
        }
    }

    /** A registered sink; cancel it when the client goes. */
    public final class Subscription {

        private final Sink sink;

        private Subscription(Sink sink) {
            this.sink = sink;
        }

        private void deliver(long revision, FeedMessage message) {
            try {
                sink.accept(revision, message);
            } catch (RuntimeException e) {
                // One broken sink must not stop the broadcast to the others.
                LOG.log(Level.WARNING, "Dropping a subscriber whose sink failed: {0}", e.toString());
                subscribers.remove(this);
            }
        }

        public void cancel() {
            synchronized (lock) {
                subscribers.remove(this);
            }
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
