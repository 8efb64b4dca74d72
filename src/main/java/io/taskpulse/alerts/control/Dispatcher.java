package io.taskpulse.alerts.control;

import io.taskpulse.alerts.entity.Outcome;
import io.taskpulse.configuration.Settings;
import io.taskpulse.metrics.control.Metrics;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers the outbox, on the container's managed scheduler: every {@code taskpulse.alerts.interval}, and at once
 * after a stamp that queued alerts commits ({@link Transitions#afterStamp}). A round claims one due alert at a time ({@link Outbox#claimOne}), sends it
 * ({@link Senders}: timeouts on every attempt), and records the outcome: confirmed → SENT; otherwise the next attempt
 * by {@link RetryPolicy}, or FAILED. Rounds never overlap on one server; several servers share the outbox through
 * their claims.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final Duration LOG_FAILURES_AT_MOST_EVERY = Duration.ofMinutes(5);

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    Outbox outbox;

    @Inject
    Senders senders;

    @Inject
    Settings settings;

    @Inject
    Metrics metrics;

    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private ScheduledFuture<?> ticks;
    private volatile Instant nextFailureLog = Instant.MIN;
    /** When a round must look at the outbox: the first pending alert's due time, or now after a wake-up. */
    private volatile Instant nextRound = Instant.MIN;
    private volatile Instant lastRound = Instant.MIN;
    /** Failed rounds in a row (a database away): each doubles the wait before the next look, up to {@link #SAFETY}. */
    private int failures;

    /**
     * The longest a server goes without looking at the outbox: alerts another server queued and could not send (it
     * died; their claims' leases run out) are found within this. Otherwise a server looks only when it queued alerts
     * itself or one is due: an idle server costs the database two statements per 30 s, not two per tick.
     */
    static final Duration SAFETY = Duration.ofSeconds(30);

    /**
     * Counts wake-ups. A round plans its next look only if none came while it ran: otherwise a wake-up that set
     * {@link #nextRound} just before the round overwrote it with "nothing due" was lost, and the alert waited for the
     * 30 s safety round (AlertsIT, twice in one CI preview under load).
     */
    private final AtomicLong wakeups = new AtomicLong();

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        long interval = settings.alertsInterval().toMillis();
        ticks = scheduler.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** The clock's tick: a round only when something is due (or the safety interval is up). No statement otherwise. */
    void tick() {
        Instant now = Instant.now();
        if (now.isBefore(nextRound) && now.isBefore(lastRound.plus(SAFETY))) {
            return;
        }
        round();
    }

    /** Asks for a round as soon as possible: alerts were queued. Cheap from any thread. */
    public void wake() {
        if (stopped) {
            return;
        }
        wakeups.incrementAndGet();
        nextRound = Instant.MIN;
        try {
            scheduler.execute(this::round);
        } catch (RejectedExecutionException e) {
            if (!stopped) {
                LOG.log(Level.FINE, "Alert round not scheduled: {0}", e.toString());
            }
        }
    }

    /** Catches every RuntimeException: one escaping a scheduled task would cancel it for good. */
    void round() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        long seen = wakeups.get();
        try {
            do {
                again.set(false);
                deliverDue();
            } while (again.get() && !stopped);
            Outbox.Backlog backlog = outbox.backlog();
            metrics.alertsPending(backlog.pending());
            failures = 0;
            lastRound = Instant.now();
            if (!again.get()) {
                nextRound = backlog.nextDue() == null ? Instant.MAX : backlog.nextDue();
            }
            if (wakeups.get() != seen) {
                nextRound = Instant.MIN; // woken while this round ran: the next tick looks again
            }
        } catch (RuntimeException e) {
            Instant now = Instant.now();
            failures = Math.min(failures + 1, 16);
            Duration wait = settings.alertsInterval().multipliedBy(1L << failures);
            lastRound = now;
            nextRound = now.plus(wait.compareTo(SAFETY) > 0 ? SAFETY : wait);
            if (!now.isBefore(nextFailureLog)) {
                nextFailureLog = now.plus(LOG_FAILURES_AT_MOST_EVERY);
                LOG.log(Level.WARNING, "Alert delivery round failed; trying again next tick: {0}", e.toString());
            }
        } finally {
            running.set(false);
        }
    }

    private void deliverDue() {
        String claim = UUID.randomUUID().toString();
        while (!stopped) {
            Outbox.Claimed claimed = outbox.claimOne(Instant.now(), claim);
            if (claimed == null) {
                return;
            }
            if (claimed.alert() == null) {
                continue;
            }
            deliver(claimed);
        }
    }

    private void deliver(Outbox.Claimed claimed) {
        long started = System.nanoTime();
        Outcome outcome = claimed.channel() == null ? Outcome.failed("channel deleted")
                : senders.send(claimed.channel(), claimed.alert());
        long millis = (System.nanoTime() - started) / 1_000_000;
        Instant now = Instant.now();
        if (outcome.confirmed()) {
            outbox.confirmed(claimed, outcome, now, millis);
            metrics.alertSent(Duration.between(claimed.alert().getOccurredAt(), now));
            return;
        }
        RetryPolicy policy = new RetryPolicy(settings.alertsRetryInitial(), settings.alertsRetryMax(),
                settings.alertsGiveUpAfter());
        Optional<Instant> next = policy.next(claimed.alert().getAttempts(), outcome, claimed.alert().getOccurredAt(), now,
                ThreadLocalRandom.current().nextDouble());
        outbox.unconfirmed(claimed, outcome, now, millis, next.orElse(null));
        if (next.isEmpty()) {
            metrics.alertFailed();
            LOG.log(Level.WARNING, "Alert {0} ({1} of task {2}) not delivered after {3} attempts: {4}",
                    new Object[]{claimed.alert().getKey(), claimed.alert().getTransition(), claimed.alert().getTaskName(),
                            claimed.alert().getAttempts(), outcome.error()});
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
