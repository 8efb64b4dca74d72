package io.taskpulse.feed.boundary;

import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;

/**
 * The held long-polls of this server, and the one clock that ends their waits. Each is a {@link HeldPoll}: the
 * feed's answer, this clock, the container's error path and {@link #stop()} race for it, and one wins. The container's
 * async timeout is off: its timer is not ours to coordinate with.
 */
@ApplicationScoped
public class LongPolls {

    /** Writes one answer: the servlet's {@code 200} with the message, or {@code 304} when it is null. */
    interface Responder {
        void answer(HttpServletResponse response, long revision, String message) throws IOException;
    }

    @Resource
    ManagedScheduledExecutorService clock;

    @Inject
    TaskFeed feed;

    @Inject
    Metrics metrics;

    /** Each held poll, with how to answer it when the server stops. */
    private final Map<HeldPoll, Runnable> held = new ConcurrentHashMap<>();

    /**
     * Holds the request until the feed moves past {@code since} or {@code waitSeconds} pass; then answers it with
     * {@code respond}: the feed's reply, or {@code nothingNew.apply(since)} (null: 304) at the end of the wait.
     */
    void hold(HttpServletRequest request, long since, int waitSeconds, Responder respond, LongFunction<String> nothingNew) {
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        HeldPoll poll = new HeldPoll(new HeldPoll.Exchange() {
            @Override
            public void answer(long revision, String message) throws IOException {
                respond.answer((HttpServletResponse) async.getResponse(), revision, message);
            }

            @Override
            public void complete() {
                async.complete();
            }

            @Override
            public void dispatch(Runnable answer) {
                async.start(answer);
            }
        });
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                poll.containerEnded();
            }

            @Override
            public void onError(AsyncEvent event) {
                poll.containerEnded();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                // Not expected (the timeout is off); if a container times out anyway, answer here, while it waits.
                poll.answerHere(since, nothingNew.apply(since));
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                // not re-started
            }
        });
        metrics.sessionOpened(Transport.LONGPOLL);
        held.put(poll, () -> poll.answerHere(since, nothingNew.apply(since)));
        TaskFeed.Waiter waiter = feed.await(since, reply -> poll.answer(reply.revision(), reply.message()));
        // A cancelled task stays in the executor's queue until its time comes (managed executors keep
        // ScheduledThreadPoolExecutor's default), so the task holds the answer only through this reference, cleared
        // when the poll ends: otherwise an early answer left the request, and the container's objects behind it,
        // reachable for the rest of its wait (FeedSoakIT: Grizzly's request chunks grew by about one per connection).
        AtomicReference<Runnable> atDeadline = new AtomicReference<>(() -> poll.answer(since, nothingNew.apply(since)));
        ScheduledFuture<?> deadline = clock.schedule(() -> {
            Runnable answer = atDeadline.get();
            if (answer != null) {
                answer.run();
            }
        }, waitSeconds, TimeUnit.SECONDS);
        poll.onEnd(() -> {
            atDeadline.set(null);
            waiter.cancel();
            deadline.cancel(false);
            held.remove(poll);
            metrics.sessionClosed(Transport.LONGPOLL);
        });
    }

    /** Held long-polls now. */
    int heldCount() {
        return held.size();
    }

    /** The server is stopping: every held poll is answered now (nothing new), not cut off. */
    @PreDestroy
    void stop() {
        held.values().forEach(Runnable::run);
    }
}
