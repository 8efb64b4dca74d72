package io.taskpulse.feed.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A held long-poll is answered by exactly one party, whatever ends the wait and however the ends coincide (issue 19:
 * a change that fired just as the container's timeout ran out left the client with no answer at all).
 */
class HeldPollTest {

    private static final int ROUNDS = 5_000;

    /** Records what the poll did to its request; answers run where {@code dispatch} puts them. */
    private static class Recorded implements HeldPoll.Exchange {
        final List<String> events = new CopyOnWriteArrayList<>();
        final Queue<Runnable> dispatched = new ConcurrentLinkedQueue<>();
        final boolean inline;

        Recorded(boolean inline) {
            this.inline = inline;
        }

        @Override
        public void answer(long revision, String message) {
            events.add(message == null ? "304 at " + revision : "200 " + message);
        }

        @Override
        public void complete() {
            events.add("complete");
        }

        @Override
        public void dispatch(Runnable answer) {
            if (inline) {
                answer.run();
            } else {
                dispatched.add(answer);
            }
        }

        long answers() {
            return events.stream().filter(e -> !e.equals("complete")).count();
        }
    }

    @Test
    void aChangeAndTheEndOfTheWaitAtTheSameMomentGiveOneAnswerAndOneCompletion() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Recorded exchange = new Recorded(true);
            HeldPoll poll = new HeldPoll(exchange);
            AtomicInteger released = new AtomicInteger();
            poll.onEnd(released::incrementAndGet);
            CyclicBarrier together = new CyclicBarrier(2);
            Thread change = new Thread(() -> atOnce(together, () -> poll.answer(8, "changes")));
            Thread deadline = new Thread(() -> atOnce(together, () -> poll.answer(7, null)));
            change.start();
            deadline.start();
            change.join();
            deadline.join();
            assertEquals(1, exchange.answers(), () -> "round: " + exchange.events);
            assertEquals("complete", exchange.events.get(1), () -> "answered, then completed: " + exchange.events);
            assertEquals(2, exchange.events.size(), () -> "nothing after the completion: " + exchange.events);
            assertEquals(1, released.get(), "the waiter and deadline are released once");
        }
    }

    @Test
    void theContainerEndingTheRequestAsAChangeArrivesNeverLetsTheAnswerTouchTheEndedRequest() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Recorded exchange = new Recorded(false);
            HeldPoll poll = new HeldPoll(exchange);
            AtomicInteger released = new AtomicInteger();
            poll.onEnd(released::incrementAndGet);
            CyclicBarrier together = new CyclicBarrier(2);
            Thread change = new Thread(() -> atOnce(together, () -> poll.answer(8, "changes")));
            Thread container = new Thread(() -> atOnce(together, poll::containerEnded));
            change.start();
            container.start();
            change.join();
            container.join();
            // The container has ended the request and recycled its response: a dispatched answer now runs too late.
            exchange.dispatched.forEach(Runnable::run);
            assertEquals(List.of(), exchange.events, "the ended request was written to");
            assertEquals(1, released.get(), "the waiter and deadline are released once");
        }
    }

    @Test
    void theContainerErrorPathWaitsForAnAnswerBeingWrittenBeforeItLetsTheRequestGo() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWriting = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        HeldPoll poll = new HeldPoll(new Recorded(true) {
            @Override
            public void answer(long revision, String message) {
                writing.countDown();
                await(finishWriting);
                order.add("written");
            }

            @Override
            public void complete() {
                order.add("completed");
            }
        });
        Thread writer = new Thread(() -> poll.answer(8, "a long snapshot"));
        writer.start();
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        Thread container = new Thread(() -> {
            poll.containerEnded();
            order.add("container went on");
        });
        container.start();
        while (container.getState() != Thread.State.TIMED_WAITING && container.isAlive()) {
            Thread.onSpinWait();
        }
        assertTrue(container.isAlive(), "the container's error path returned while the answer was being written");
        finishWriting.countDown();
        writer.join();
        container.join();
        assertEquals(List.of("written", "completed", "container went on"), order);
    }

    @Test
    void aClientThatWentAwayIsNotAnsweredByALaterChangeOrTheEndOfItsWait() {
        Recorded exchange = new Recorded(true);
        HeldPoll poll = new HeldPoll(exchange);
        AtomicInteger released = new AtomicInteger();
        poll.onEnd(released::incrementAndGet);
        poll.containerEnded();
        assertFalse(poll.answer(8, "changes"));
        assertFalse(poll.answer(7, null));
        assertFalse(poll.answerHere(7, null));
        assertEquals(List.of(), exchange.events);
        assertEquals(1, released.get());
    }

    @Test
    void aPollAnsweredBeforeItWasToldWhatToReleaseStillReleasesOnce() {
        Recorded exchange = new Recorded(true);
        HeldPoll poll = new HeldPoll(exchange);
        assertTrue(poll.answer(8, "changes"));
        AtomicInteger released = new AtomicInteger();
        poll.onEnd(released::incrementAndGet);
        poll.containerEnded();
        assertEquals(1, released.get());
        assertEquals(List.of("200 changes", "complete"), exchange.events);
    }

    @Test
    void anAnswerTheContainerNoLongerTakesEndsThePollWithoutWriting() {
        Recorded exchange = new Recorded(true) {
            @Override
            public void dispatch(Runnable answer) {
                throw new IllegalStateException("request already completed");
            }
        };
        HeldPoll poll = new HeldPoll(exchange);
        AtomicInteger released = new AtomicInteger();
        poll.onEnd(released::incrementAndGet);
        assertTrue(poll.answer(8, "changes"));
        assertEquals(List.of(), exchange.events);
        assertEquals(1, released.get());
    }

    private static void atOnce(CyclicBarrier together, Runnable action) {
        try {
            together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        action.run();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
