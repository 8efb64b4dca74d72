package io.taskpulse.tasks.control;

import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.Run;
import io.taskpulse.tasks.entity.RunId;
import io.taskpulse.tasks.entity.RunView;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Starts and ends runs. Callers own the transaction (MANDATORY), as for {@link Tasks}.
 * <ul>
 * <li>A start opens a run; the task is running until a report ends it. A start without a runId supersedes the
 * task's open runs (a cron job that was killed never ends its run); with a runId, overlapping runs stay apart
 * and a start repeated with the same runId changes nothing.</li>
 * <li>A report ends the open run with its runId, or the newest open run when it names none. A report when no run is
 * open, or naming a runId that is not open, is a run without a start: it has no duration unless the script sent
 * one ({@code durationMs}), and the answer says it was not paired.</li>
 * </ul>
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class TaskRuns {

    public static final int MAX_PAGE = 200;

    @PersistenceContext
    EntityManager em;

    @Inject
    Event<TasksChanged> changed;

    /** Where "now" comes from (configuration.Clocks); tests of runs and schedules set it. */
    @Inject
    Clock clock;

    /** What a report did: the task after it, the run it ended, and whether that run had a start. */
    public record Ended(Task task, Run run, boolean paired) {
    }

    public Task start(Task task, String runId) {
        String checked = RunId.checked(runId);
        Instant now = clock.instant();
        if (checked == null) {
            for (Run open : open(task)) {
                open.supersede(now);
            }
        } else if (!em.createNamedQuery(Run.OPEN_WITH_ID, Run.class).setParameter("task", task.getId())
                .setParameter("runId", checked).setMaxResults(1).getResultList().isEmpty()) {
            return task; // the same start again (a retry of the script's request)
        }
        Run run = Run.started(task.getId(), RunId.orNew(checked), now);
        em.persist(run);
        task.start(run.getRunId(), now);
        em.flush();
        em.refresh(task);
        changed.fire(new TasksChanged("started"));
        return task;
    }

    public Ended end(Task task, Ending ending) {
        return end(task, ending, true);
    }

    /**
     * @param announce whether to fire {@link TasksChanged} (which wakes the poller): not when the poller itself ends
     *                 a run (a timeout), since it reads the change in the same poll; and on TomEE an event with
     *                 transactional observers fired on the poller's thread failed ("On a thread without an initialized
     *                 context") and left the check's transaction holding its locks, so every later poll waited on them
     */
    public Ended end(Task task, Ending ending, boolean announce) {
        boolean repeated = task.getRunningSince() == null && !task.isOverdue() && task.getSchedule() == null
                && task.isReported(ending.status(), ending.message());
        Run run = ending.runId() == null ? first(open(task))
                : first(em.createNamedQuery(Run.OPEN_WITH_ID, Run.class).setParameter("task", task.getId())
                        .setParameter("runId", ending.runId()).getResultList());
        boolean paired = run != null;
        if (run == null) {
            run = Run.endedWithoutStart(task.getId(), RunId.orNew(ending.runId()));
            em.persist(run);
        }
        Instant now = clock.instant();
        run.end(now, ending);
        em.flush();
        Run stillOpen = first(open(task));
        task.end(ending, run, stillOpen, now);
        em.flush();
        if (repeated) {
            // Same result again and nothing else moved: JPA writes nothing, but the report is news (a new time).
            em.createNamedQuery(Task.TOUCH).setParameter("id", task.getId()).executeUpdate();
        }
        em.refresh(task);
        if (announce) {
            changed.fire(new TasksChanged("reported"));
        }
        return new Ended(task, run, paired);
    }

    /** A task's runs, newest first, those with an id below {@code before} (the previous page's last id). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RunView> runs(Task task, long before, int limit) {
        return em.createNamedQuery(Run.PAGE, RunView.class).setParameter("task", task.getId())
                .setParameter("before", before).setMaxResults(Math.max(1, Math.min(limit, MAX_PAGE))).getResultList();
    }

    /** The newest run of the task with this runId. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Run run(Task task, String runId) {
        String checked = RunId.checked(runId);
        return first(em.createNamedQuery(Run.WITH_ID, Run.class).setParameter("task", task.getId())
                .setParameter("runId", checked).setMaxResults(1).getResultList(),
                () -> TaskRejected.notFound("task " + TaskRejected.quote(task.getName()) + " has no run "
                        + TaskRejected.quote(checked)));
    }

    private List<Run> open(Task task) {
        return em.createNamedQuery(Run.OPEN, Run.class).setParameter("task", task.getId()).getResultList();
    }

    private static Run first(List<Run> runs) {
        return runs.isEmpty() ? null : runs.get(0);
    }

    private static Run first(List<Run> runs, java.util.function.Supplier<TaskRejected> none) {
        if (runs.isEmpty()) {
            throw none.get();
        }
        return runs.get(0);
    }
}
