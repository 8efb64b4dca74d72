package io.taskpulse.feed.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.feed.entity.Change;
import io.taskpulse.feed.entity.ChangeBatch;
import io.taskpulse.feed.entity.FeedStalled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskFeedTest {

    private TaskFeed feed;

    @BeforeEach
    void loadThreeTasks() {
        feed = new TaskFeed();
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
    void batchThatDoesNotFollowTheCurrentRevisionIsRefused() {
        assertThrows(IllegalStateException.class, () -> feed.apply(ChangeBatch.delta(2, 4, 0, List.of(task(1, 4, "x")))));
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
    void failingSinkDoesNotStopTheBroadcast() {
        feed.subscribe((revision, message) -> {
            throw new IllegalStateException("socket gone");
        }, 3L);
        List<String> healthy = subscribe(3L);

        feed.apply(ChangeBatch.delta(3, 4, 0, List.of(task(1, 4, "a2"))));

        assertEquals(2, healthy.size());
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
