package io.taskpulse.tasks.control;

import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.Status;
import io.taskpulse.tasks.entity.Task;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What did not happen in time: a task whose expected run did not start (or end, for tasks that send no start) by
 * its expected time plus grace becomes overdue; a run still open after its task's maxRuntime fails as timed out.
 * <p>
 * Run by the change poller before it reads changes, so the transitions are published like any other change (every
 * board, resume, polling, other servers, SQL readers). It costs what is due, not what exists: each transition is
 * found through an index on the moment it is due ({@code overdue_at}, {@code timeout_at}), and the poller calls it
 * only when the earliest such moment has come or the data changed. With several servers each transition happens
 * once: overdue is one conditional UPDATE (a row another server already marked no longer matches), a timeout is
 * claimed by a conditional UPDATE of its own before the run is ended.
 */
@ApplicationScoped
public class Deadlines {

    /** Timeouts handled per check; more wait for the next one (a tick later), so one check stays short. */
    static final int TIMEOUTS_PER_CHECK = 100;

    @PersistenceContext
    EntityManager em;

    @Inject
    TaskRuns runs;

    @Inject
    Clock clock;

    @Inject
    Metrics metrics;

    /** Now, by the clock runs and schedules read. */
    public Instant now() {
        return clock.instant();
    }

    /**
     * Marks what is overdue and fails what timed out, as of {@code now}.
     *
     * @return when the next check is due: the earliest moment a task becomes overdue or a run times out
     *         ({@link Instant#MAX} when none is scheduled)
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Instant check(Instant now) {
        Timestamp at = Timestamp.from(now);
        // Look before writing: on PostgreSQL every UPDATE of task NOTIFYs every server, even one that changes no row
        // (a statement trigger), and a notified server checks again: an UPDATE on every check was a loop of
        // notifications between (and within) servers (ChangeNotificationsIT: 108 reads where 1 was due).
        boolean anyOverdue = !em.createNamedQuery(Task.OVERDUE_DUE, Long.class).setParameter("now", at).setMaxResults(1)
                .getResultList().isEmpty();
        if (anyOverdue) {
            int overdue = em.createNamedQuery(Task.MARK_OVERDUE).setParameter("now", at).executeUpdate();
            if (overdue > 0) {
                metrics.markedOverdue(overdue);
            }
        }
        List<Task> timedOut = em.createNamedQuery(Task.TIMED_OUT, Task.class).setParameter("now", at)
                .setMaxResults(TIMEOUTS_PER_CHECK).getResultList();
        for (Task task : timedOut) {
            Timestamp due = Timestamp.from(task.timeoutAt());
            int claimed = em.createNamedQuery(Task.CLAIM_TIMEOUT).setParameter("id", task.getId()).setParameter("at", due)
                    .executeUpdate();
            if (claimed == 1) {
                em.refresh(task);
                Duration limit = Duration.parse(task.getMaxRuntime());
                runs.end(task, new Ending(Status.FAILED, null, "timed out: still running after " + words(limit)
                        + " (maxRuntime " + limit + ")", task.getRunId(), null, null), false);
                metrics.runTimedOut();
            }
        }
        if (timedOut.size() == TIMEOUTS_PER_CHECK) {
            return now; // more are due
        }
        Timestamp nextOverdue = em.createQuery("SELECT MIN(t.overdueAt) FROM Task t", Timestamp.class).getSingleResult();
        Timestamp nextTimeout = em.createQuery("SELECT MIN(t.timeoutAt) FROM Task t", Timestamp.class).getSingleResult();
        Instant next = Instant.MAX;
        if (nextOverdue != null) {
            next = nextOverdue.toInstant();
        }
        if (nextTimeout != null && nextTimeout.toInstant().isBefore(next)) {
            next = nextTimeout.toInstant();
        }
        return next;
    }

    private static String words(Duration limit) {
        long minutes = limit.toMinutes();
        return minutes % 60 == 0 ? (minutes / 60) + " h" : minutes + " min";
    }
}
