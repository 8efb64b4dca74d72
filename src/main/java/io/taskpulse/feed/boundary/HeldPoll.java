package io.taskpulse.feed.boundary;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One held long-poll, answered by exactly one party. Four things can end the wait: a change, the end of the wait
 * ({@code wait=S} is up), the client going away, the server stopping. Whichever comes first {@linkplain #claim()
 * claims} the request; the others find it claimed and do nothing, and never touch its response.
 * <p>
 * The container's own async timeout is off ({@code AsyncContext.setTimeout(0)}): TaskPulse owns the wait. Before,
 * the container's timeout and a change could fire together; the timeout found the change's answer pending and left,
 * the container ended the request, and the answer was then written into a recycled buffer (issue 19): the client
 * got no answer at all. The container can still end a request on its own when the connection fails ({@code onError}):
 * then it waits for an answer being written to finish (at most {@link #WRITE_PATIENCE_MILLIS}) before it lets the
 * container recycle the response.
 */
final class HeldPoll {

    /** How long the container's error path waits for an answer being written; a slower one is cut off. */
    static final long WRITE_PATIENCE_MILLIS = 5000;

    private static final Logger LOG = Logger.getLogger(HeldPoll.class.getName());

    /** What a held request can do with its exchange; the servlet's is in {@link LongPolls}. */
    interface Exchange {

        /** Writes the answer ({@code message == null}: 304). Called at most once, on a container-managed thread. */
        void answer(long revision, String message) throws IOException;

        /** Ends the request ({@code AsyncContext.complete()}). */
        void complete();

        /** Runs the answer on a container-managed thread, never on the poller's. */
        void dispatch(Runnable answer);
    }

    private final Exchange exchange;
    private final AtomicBoolean claimed = new AtomicBoolean();
    /** Held while the answer is written and the request completed; the container's error path waits for it. */
    private final ReentrantLock writing = new ReentrantLock();
    /** The container ended the request: an answer not yet begun must not touch the response. Guarded by writing. */
    private boolean gone;
    /** Guarded by this: whether the poll ended, and what then runs, once. */
    private boolean ended;
    private Runnable onEnd;

    HeldPoll(Exchange exchange) {
        this.exchange = exchange;
    }

    /** Runs once when this poll ends, whoever ended it: cancels the feed's waiter and the deadline. */
    void onEnd(Runnable release) {
        synchronized (this) {
            if (!ended) {
                onEnd = release;
                return;
            }
        }
        release.run(); // it ended before it was told what to do then
    }

    /** A change (or the end of the wait, or the server stopping): answers it, unless another party did. */
    boolean answer(long revision, String message) {
        if (!claim()) {
            return false;
        }
        try {
            exchange.dispatch(() -> write(revision, message));
        } catch (RuntimeException e) {
            // The container no longer takes work for this request (stopping, or it ended the request itself).
            LOG.log(Level.FINE, "Long-poll could not be answered: {0}", e.toString());
            end();
        }
        return true;
    }

    /** Like {@link #answer}, on the caller's thread (a container thread: the server is stopping). */
    boolean answerHere(long revision, String message) {
        if (!claim()) {
            return false;
        }
        write(revision, message);
        return true;
    }

    /**
     * The container says the request is over (the client went away, the connection failed, or it completed): no
     * one answers any more. If an answer is being written, waits for it (bounded) so that the container does not
     * recycle the response under it.
     */
    void containerEnded() {
        if (claim()) {
            end();
            return;
        }
        try {
            if (writing.tryLock(WRITE_PATIENCE_MILLIS, TimeUnit.MILLISECONDS)) {
                try {
                    gone = true;
                } finally {
                    writing.unlock();
                }
            } else {
                LOG.log(Level.FINE, "Long-poll answer still being written after {0} ms; the container ends it",
                        WRITE_PATIENCE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean answered() {
        return claimed.get();
    }

    private boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    private void write(long revision, String message) {
        writing.lock();
        if (gone) {
            writing.unlock();
            end();
            return;
        }
        try {
            exchange.answer(revision, message);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Long-poll answer failed: {0}", e.toString());
        } finally {
            try {
                exchange.complete();
            } catch (RuntimeException e) {
                // already completed by the container (client gone)
                LOG.log(Level.FINE, "Long-poll complete failed: {0}", e.toString());
            } finally {
                writing.unlock();
                end();
            }
        }
    }

    private void end() {
        Runnable release;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            release = onEnd;
        }
        if (release != null) {
            release.run();
        }
    }
}
