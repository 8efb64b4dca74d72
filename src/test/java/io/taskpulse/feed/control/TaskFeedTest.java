package io.taskpulse.feed.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.changes.entity.ChangeBatch;
import io.taskpulse.changes.entity.FeedStalled;
import io.taskpulse.metrics.control.Metrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskFeedTest {

    private TaskFeed feed;
    private final Metrics metrics = new Metrics();

    @BeforeEach
    void loadThreeTasks() {
        feed = new TaskFeed();
        feed.metrics = metrics;
        feed.load(ChangeBatch.full(3, 0, List.of(task(1, 1, "a"), task(2, 2, "b"), task(3, 3, "c"))));
    }

    @Test
    void newSubscriberGetsSnapshotOfEveryTask() {
        List<String> received = subscribe(null);

        assertEquals(1, received.size());
        assertEquals("{\"type\":\"snapshot\",\"revision\":3,\"reset\":false,\"interval\":1000,\"tasks\":["
                + json(1, 1, "a") + "," + json(2, 2, "b") + "," + json(3, 3, "c") + "]}", received.get(0));
    }

    @Test
    void batchIsBroadcastOnceToEverySubscriberAsTheSameString() {
        List<String> first = subscribe(null);
        List<String> second = subscribe(null);

        feed.apply(ChangeBatch.delta(3, 5, 0, List.of(task(2, 4, "b2"), deleted(3, 5))));

        String expected = "{\"type\":\"changes\",\"from\":3,\"revision\":5,\"tasks\":[" + json(2, 4, "b2") + "],\"deleted\":[3]}";
        assertEquals(expected, first.get(1));
        assertTrue(first.get(1) == second.get(1), "one string for all subscribers");
    }

    @Test
    void resumeReturnsExactlyTheChangesAfterTheRevision() {
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.apply(ChangeBatch.delta(4, 6, 0, List.of(task(2, 5, "b2"), deleted(3, 6))));

        assertEquals("{\"type\":\"changes\",\"from\":4,\"revision\":6,\"tasks\":[" + json(2, 5, "b2") + "],\"deleted\":[3]}",
                subscribe(4L).get(0));
        assertEquals("{\"type\":\"changes\",\"from\":5,\"revision\":6,\"tasks\":[],\"deleted\":[3]}", subscribe(5L).get(0));
        assertEquals("{\"type\":\"changes\",\"from\":6,\"revision\":6,\"tasks\":[],\"deleted\":[]}", subscribe(6L).get(0));
    }

    @Test
    void resumeConflatesSeveralChangesOfOneTaskToItsNewestState() {
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.apply(ChangeBatch.delta(4, 5, 0, List.of(task(1, 5, "a3"))));

        assertEquals("{\"type\":\"changes\",\"from\":3,\"revision\":5,\"tasks\":[" + json(1, 5, "a3") + "],\"deleted\":[]}",
                subscribe(3L).get(0));
    }

    @Test
    void revisionFromTheFutureGetsResetSnapshot() {
        assertTrue(subscribe(99L).get(0).startsWith("{\"type\":\"snapshot\",\"revision\":3,\"reset\":true,"));
    }

    @Test
    void revisionOlderThanPurgedTombstonesGetsResetSnapshot() {
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(deleted(3, 4))));
        feed.apply(ChangeBatch.delta(4, 4, 4, List.of()));

        assertTrue(subscribe(3L).get(0).startsWith("{\"type\":\"snapshot\",\"revision\":4,\"reset\":true,"));
        assertEquals("{\"type\":\"changes\",\"from\":4,\"revision\":4,\"tasks\":[],\"deleted\":[]}", subscribe(4L).get(0));
    }

    @Test
    void snapshotLeavesDeletedTasksOut() {
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(deleted(2, 4))));

        String snapshot = subscribe(null).get(0);

        assertFalse(snapshot.contains("\"id\":2,"), snapshot);
        assertTrue(snapshot.contains("\"id\":1,") && snapshot.contains("\"id\":3,"), snapshot);
    }

    @Test
    void batchThatDoesNotFollowTheCurrentRevisionIsRefusedAndChangesNothing() {
        List<String> received = subscribe(null);

        assertThrows(TaskFeed.OutOfStep.class, () -> feed.apply(ChangeBatch.delta(2, 4, 0, List.of(task(1, 4, "x")))));

        assertEquals(1, received.size(), "nothing broadcast");
        assertEquals(3, feed.poll(null).revision());
        assertFalse(feed.poll(null).message().contains("\"x\""), "the refused change is not in the feed");
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        assertTrue(received.get(1).startsWith("{\"type\":\"changes\",\"from\":3,\"revision\":4,"));
    }

    @Test
    void reloadAfterTheFeedFellOutOfStepResetsEveryKindOfClient() {
        List<String> socket = subscribe(null);
        List<TaskFeed.Reply> longPoll = new ArrayList<>();
        feed.await(3, longPoll::add);

        feed.load(ChangeBatch.full(7, 0, List.of(task(1, 6, "a6"), task(2, 7, "b7"))));

        String reset = "{\"type\":\"snapshot\",\"revision\":7,\"reset\":true,\"interval\":1000,\"tasks\":["
                + json(1, 6, "a6") + "," + json(2, 7, "b7") + "]}";
        assertEquals(reset, socket.get(1));
        assertEquals(List.of(new TaskFeed.Reply(7, reset)), longPoll);
        // A polling client that held a revision from before the reload cannot be trusted to hold what the
        // database held then: it gets the reset too, not a delta from its revision.
        assertEquals(reset, feed.poll(5L).message());
        assertEquals(reset, subscribe(3L).get(0));
        // From the reload's revision on, deltas as usual.
        assertNull(feed.poll(7L).message());
        feed.apply(ChangeBatch.delta(7, 8, 0, List.of(task(2, 8, "b8"))));
        assertTrue(feed.poll(7L).message().startsWith("{\"type\":\"changes\",\"from\":7,\"revision\":8,"));
    }

    @Test
    void quietPollSendsAHeartbeatAtMostOncePerInterval() {
        MutableClock clock = new MutableClock();
        feed.clock = clock;
        List<String> received = subscribe(null);

        feed.apply(ChangeBatch.delta(3, 3, 0, List.of()));
        clock.advanceMillis(500);
        feed.apply(ChangeBatch.delta(3, 3, 0, List.of()));
        clock.advanceMillis(600);
        feed.apply(ChangeBatch.delta(3, 3, 0, List.of()));

        assertEquals(List.of("{\"type\":\"heartbeat\",\"revision\":3}", "{\"type\":\"heartbeat\",\"revision\":3}"),
                received.subList(1, received.size()));
    }

    @Test
    void changesCountAsASignOfLife() {
        MutableClock clock = new MutableClock();
        feed.clock = clock;
        List<String> received = subscribe(null);

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        clock.advanceMillis(500);
        feed.apply(ChangeBatch.delta(4, 4, 0, List.of()));

        assertEquals(2, received.size());
        assertTrue(received.get(1).startsWith("{\"type\":\"changes\""));
    }

    @Test
    void cancelledSubscriberReceivesNothingMore() {
        List<String> received = new ArrayList<>();
        TaskFeed.Subscription subscription = feed.subscribe((revision, message) -> received.add(message.text()), null);
        subscription.cancel();

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));

        assertEquals(1, received.size());
    }

    @Test
    void subscriberBeforeFirstLoadGetsTheLoadedSnapshot() {
        TaskFeed fresh = new TaskFeed();
        fresh.metrics = metrics;
        List<String> received = new ArrayList<>();
        fresh.subscribe((revision, message) -> received.add(message.text()), null);
        assertTrue(received.isEmpty());

        fresh.load(ChangeBatch.full(1, 0, List.of(task(1, 1, "a"))));

        assertEquals(List.of("{\"type\":\"snapshot\",\"revision\":1,\"reset\":false,\"interval\":1000,\"tasks\":[" + json(1, 1, "a") + "]}"), received);
    }

    @Test
    void pollOfCurrentRevisionHasNoMessage() {
        assertNull(feed.poll(3L).message());
        assertEquals(3, feed.poll(3L).revision());
    }

    @Test
    void longPollIsAnsweredByTheNextBatchWithItsRevision() {
        List<TaskFeed.Reply> answers = new ArrayList<>();
        feed.await(3, answers::add);
        assertTrue(answers.isEmpty());

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));

        assertEquals(1, answers.size());
        assertEquals(4, answers.get(0).revision());
        assertTrue(answers.get(0).message().contains("\"from\":3,\"revision\":4"));
    }

    @Test
    void longPollBehindTheFeedIsAnsweredAtOnce() {
        List<TaskFeed.Reply> answers = new ArrayList<>();
        feed.await(2, answers::add);

        assertEquals(1, answers.size());
        assertTrue(answers.get(0).message().startsWith("{\"type\":\"changes\",\"from\":2,\"revision\":3"));
    }

    @Test
    void cancelledLongPollIsNotAnswered() {
        List<TaskFeed.Reply> answers = new ArrayList<>();
        TaskFeed.Waiter waiter = feed.await(3, answers::add);

        assertTrue(waiter.cancel());
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));

        assertTrue(answers.isEmpty());
    }

    @Test
    void catchUpHandsTheNewestStateOfEachTaskChangedSinceAndLaterBatchesFollowIt() {
        List<String> caughtUp = new ArrayList<>();
        List<String> delivered = new ArrayList<>();
        TaskFeed.Subscription subscription = feed.subscribe(new TaskFeed.Sink() {
            @Override
            public void accept(long revision, FeedMessage message) {
                delivered.add(message.text());
            }

            @Override
            public void caughtUp(long revision, FeedMessage message) {
                caughtUp.add(revision + " " + message.text());
            }
        }, 3L);
        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.apply(ChangeBatch.delta(4, 5, 0, List.of(task(1, 5, "a3"))));

        feed.catchUp(subscription, 3);
        feed.apply(ChangeBatch.delta(5, 6, 0, List.of(task(2, 6, "b2"))));

        assertEquals(List.of("5 {\"type\":\"changes\",\"from\":3,\"revision\":5,\"tasks\":[" + json(1, 5, "a3")
                + "],\"deleted\":[]}"), caughtUp);
        assertTrue(delivered.get(delivered.size() - 1).startsWith("{\"type\":\"changes\",\"from\":5,\"revision\":6,"));
    }

    @Test
    void sinkThatThrowsIsDroppedAndToldWhileTheOthersGetEveryMessage() {
        AtomicInteger dropped = new AtomicInteger();
        TaskFeed.Subscription broken = feed.subscribe(new TaskFeed.Sink() {
            @Override
            public void accept(long revision, FeedMessage message) {
                if (revision > 3) {
                    throw new IllegalStateException("socket gone");
                }
            }

            @Override
            public void dropped() {
                dropped.incrementAndGet();
            }
        }, 3L);
        List<String> before = subscribe(3L);
        List<String> after = new ArrayList<>();

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.subscribe((revision, message) -> after.add(message.text()), 4L);
        feed.apply(ChangeBatch.delta(4, 5, 0, List.of(task(1, 5, "a3"))));

        assertEquals(3, before.size());
        assertEquals(2, after.size());
        assertEquals(1, dropped.get(), "told once");
        assertEquals(1, metrics.subscriberFailures());
        broken.cancel(); // the client's own close comes later: harmless
    }

    /**
     * What Tyrus does when a send fails on the broadcasting thread: it closes the session there, and the endpoint's
     * close cancels its subscription. Before the outbox queued only, that cancel ran in the middle of the
     * broadcast's iteration: ConcurrentModificationException, and the feed stalled for good.
     */
    @Test
    void subscribersThatCancelThemselvesOrOthersWhileReceivingDoNotBreakTheBroadcast() {
        AtomicReference<TaskFeed.Subscription> self = new AtomicReference<>();
        AtomicReference<TaskFeed.Subscription> other = new AtomicReference<>();
        List<String> first = subscribe(3L);
        self.set(feed.subscribe((revision, message) -> {
            if (revision > 3) {
                self.get().cancel();
                other.get().cancel();
            }
        }, 3L));
        List<String> cancelled = new ArrayList<>();
        other.set(feed.subscribe((revision, message) -> cancelled.add(message.text()), 3L));
        List<String> last = subscribe(3L);

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.apply(ChangeBatch.delta(4, 5, 0, List.of(task(1, 5, "a3"))));

        assertEquals(3, first.size());
        assertEquals(3, last.size());
        assertTrue(cancelled.size() <= 2, "cancelled: gets nothing after the broadcast that cancelled it");
        assertEquals(5, feed.poll(null).revision());
    }

    @Test
    void sinksAreFlushedOnlyAfterTheLockIsReleasedAndMayCallBackIntoTheFeed() {
        List<String> events = new ArrayList<>();
        AtomicReference<TaskFeed.Subscription> subscription = new AtomicReference<>();
        subscription.set(feed.subscribe(new TaskFeed.Sink() {
            @Override
            public void accept(long revision, FeedMessage message) {
                events.add("queued " + revision + (Thread.holdsLock(feed.lock) ? " under the lock" : " WITHOUT the lock"));
            }

            @Override
            public void flush() {
                events.add("flushed" + (Thread.holdsLock(feed.lock) ? " UNDER the lock" : ""));
                // Another thread's feed call completes: nothing holds the lock while a sink sends or closes.
                CompletableFuture<Long> elsewhere = CompletableFuture.supplyAsync(() -> feed.poll(null).revision());
                events.add("elsewhere " + elsewhere.orTimeout(10, TimeUnit.SECONDS).join());
                if (subscription.get() != null) {
                    subscription.get().cancel(); // as a close from the container would
                }
            }
        }, 3L));

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.apply(ChangeBatch.delta(4, 5, 0, List.of(task(1, 5, "a3"))));

        assertEquals(List.of("queued 3 under the lock", "flushed", "elsewhere 3",
                "queued 4 under the lock", "flushed", "elsewhere 4"), events);
    }

    @Test
    void sinkThatFailsToFlushIsDroppedAndTheOthersAreFlushed() {
        AtomicInteger dropped = new AtomicInteger();
        feed.subscribe(new TaskFeed.Sink() {
            @Override
            public void accept(long revision, FeedMessage message) {
            }

            @Override
            public void flush() {
                throw new IllegalStateException("container refused the send");
            }

            @Override
            public void dropped() {
                dropped.incrementAndGet();
            }
        }, 3L);
        List<String> flushed = new ArrayList<>();
        feed.subscribe(new TaskFeed.Sink() {
            @Override
            public void accept(long revision, FeedMessage message) {
            }

            @Override
            public void flush() {
                flushed.add("x");
            }
        }, 3L);

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));
        feed.apply(ChangeBatch.delta(4, 5, 0, List.of(task(1, 5, "a3"))));

        assertEquals(1, dropped.get());
        assertEquals(3, flushed.size());
        assertEquals(1, metrics.subscriberFailures());
    }

    @Test
    void longPollWhoseAnswerThrowsDoesNotKeepTheOthersWaiting() {
        feed.await(3, reply -> {
            throw new IllegalStateException("request already gone");
        });
        List<TaskFeed.Reply> answers = new ArrayList<>();
        feed.await(3, answers::add);

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));

        assertEquals(1, answers.size());
    }

    /** A clock the test moves by hand. */
    @Test
    void failedPollTellsSubscribersAndLongPollsTheDataIsStaleAtTheirRevision() {
        List<String> received = subscribe(null);
        List<TaskFeed.Reply> answers = new ArrayList<>();
        feed.await(3, answers::add);

        feed.stale(new FeedStalled("database unavailable"));

        String stale = "{\"type\":\"stale\",\"revision\":3,\"reason\":\"database unavailable\"}";
        assertEquals(List.of(stale), received.subList(1, received.size()));
        assertEquals(List.of(new TaskFeed.Reply(3, stale)), answers);
    }

    @Test
    void firstQuietPollAfterStaleSendsAHeartbeatAtOnce() {
        MutableClock clock = new MutableClock();
        feed.clock = clock;
        List<String> received = subscribe(null);
        feed.apply(ChangeBatch.delta(3, 3, 0, List.of()));

        feed.stale(new FeedStalled("database unavailable"));
        clock.advanceMillis(100);
        feed.apply(ChangeBatch.delta(3, 3, 0, List.of()));

        assertEquals("{\"type\":\"heartbeat\",\"revision\":3}", received.get(received.size() - 1));
    }

    private static final class MutableClock extends java.time.Clock {
        private java.time.Instant now = java.time.Instant.parse("2026-11-25T20:00:00Z");

        void advanceMillis(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    private List<String> subscribe(Long since) {
        List<String> received = new ArrayList<>();
        feed.subscribe((revision, message) -> received.add(message.text()), since);
        return received;
    }

    private static Change task(long id, long revision, String name) {
        return new Change(id, revision, json(id, revision, name));
    }

    private static Change deleted(long id, long revision) {
        return new Change(id, revision, null);
    }

    private static String json(long id, long revision, String name) {
        return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"revision\":" + revision + "}";
    }
}
