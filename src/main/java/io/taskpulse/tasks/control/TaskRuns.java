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
import io.taskpulse.configuration.Settings;
import io.taskpulse.sources.control.SourceWrites;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
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

    @Inject
    Settings settings;

    @Inject
    SourceWrites sourceWrites;

    /** What a report did: the task after it, the run it ended (null for a source's task), and whether that run had a start. */
    public record Ended(Task task, Run run, boolean paired) {
    }

    public Task start(Task task, String runId) {
        return start(task, runId, true);
    }

    /**
     * @param announce whether to fire {@link TasksChanged} and read the row back for an answer: not per item of a
     *                 bulk report, which fires once and answers without the trigger's columns
     */
    public Task start(Task task, String runId, boolean announce) {
        lockForRun(task);
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
        Object asRead = task.changedAtAsSet();
        task.start(run.getRunId(), now);
        em.flush();
        if (announce) {
            readBack(task, asRead);
            changed.fire(new TasksChanged("started"));
        } else {
            leaveBehind(run);
        }
        return task;
    }

    public Ended end(Task task, Ending ending) {
        return end(task, ending, true);
    }

    /**
     * @param announce whether to fire {@link TasksChanged} (which wakes the poller) and read the row back for an
     *                 answer: not per item of a bulk report (see {@link #start(Task, String, boolean)}), nor when the poller itself ends
     *                 a run (a timeout), since it reads the change in the same poll; and on TomEE an event with
     *                 transactional observers fired on the poller's thread failed ("On a thread without an initialized
     *                 context") and left the check's transaction holding its locks, so every later poll waited on them
     */
    public Ended end(Task task, Ending ending, boolean announce) {
        if (task.fromSource()) {
            // Written into the source's own table (or refused); its trigger updates the task. No run is recorded.
            sourceWrites.report(task, ending);
            em.flush();
            em.refresh(task);
            if (announce) {
                changed.fire(new TasksChanged("reported"));
            }
            return new Ended(task, null, false);
        }
        lockForRun(task);
        boolean repeated = task.getRunningSince() == null && !task.isOverdue() && task.getSchedule() == null
                && task.isReported(ending.status(), ending.message());
        // One read of the open runs serves both the run this report ends and the one still open after it, and
        // none at all when the task is not running: a run is open only while the task shows it (start sets
        // running_since, every end and timeout clears it when no other run stays open, a delete takes the runs
        // along), and most scripts never send a start. Issue 17 counts a report's statements.
        List<Run> open = task.getRunningSince() == null ? List.of() : open(task);
        Run run = first(ending.runId() == null ? open
                : open.stream().filter(r -> ending.runId().equals(r.getRunId())).toList());
        boolean paired = run != null;
        if (run == null) {
            run = Run.endedWithoutStart(task.getId(), RunId.orNew(ending.runId()));
            em.persist(run);
        }
        Instant now = clock.instant();
        run.end(now, ending);
        em.flush();
        Run ended = run;
        Run stillOpen = first(open.stream().filter(r -> r != ended).toList());
        Object asRead = task.changedAtAsSet();
        task.end(ending, run, stillOpen, now);
        em.flush();
        if (repeated) {
            // Same result again and nothing else moved: JPA writes nothing, but the report is news (a new time).
            em.createNamedQuery(Task.TOUCH).setParameter("id", task.getId()).executeUpdate();
            asRead = task.changedAtAsSet(); // the touch returned nothing: read the row back
        }
        if (announce) {
            readBack(task, asRead);
            changed.fire(new TasksChanged("reported"));
        } else {
            leaveBehind(run);
        }
        return new Ended(task, run, paired);
    }

    /**
     * A bulk report's ended run is written (flushed) and nothing changes it again in this transaction: it leaves the
     * persistence context. Every flush compares each managed object, so 1,000 runs kept managed made a 1,000-item
     * batch's 2,000 flushes quadratic (issue 17: EclipseLink's change calculation was half of a bulk report's CPU). A
     * later item that ends a run started earlier in the batch reads it again (a query, as it does anyway).
     */
    private void leaveBehind(Run run) {
        em.detach(run);
    }

    /**
     * Reads the row back for the caller's answer: {@code changed_at} and {@code revision} are the trigger's. Only
     * a single report answers with them; a bulk report's items and a timeout skip this statement (one per item).
     * Skipped too when the task's UPDATE returned them (PostgreSQL, configuration.EclipseLinkSession): EclipseLink
     * then set {@code changed_at} anew, so it is no longer the object it was before the flush ({@code asRead}).
     */
    private void readBack(Task task, Object asRead) {
        if (task.changedAtAsSet() == asRead) {
            em.refresh(task);
        }
    }

    /**
     * On MariaDB, takes the task row's write lock before a run is written. Inserting a run makes InnoDB check its
     * foreign key with a SHARED lock on the task row, and the same transaction then updates that row: two writers (or
     * a writer and a script's plain UPDATE queued between them) that both hold the shared lock and both want the
     * exclusive one deadlock, and InnoDB kills one (ConcurrentWritersIT: the script's UPDATE was the victim, which
     * TaskPulse cannot retry for it). Taking the exclusive lock first makes them queue instead. PostgreSQL's key check
     * (FOR KEY SHARE) does not conflict with an UPDATE of other columns. On Derby it was tried and made things worse:
     * the early row lock joined a cycle with a task's DELETE (which cascades to task_run under a table lock) and the
     * stamp (FuzzIT: the poller stalled 14 s); Derby's own deadlocks between two reports of one task are resolved
     * within a second instead (SchemaMigration sets derby.locks.deadlockTimeout) and retried by WriteRetry.
     */
    private void lockForRun(Task task) {
        if (settings.onMariaDb()) {
            em.lock(task, LockModeType.PESSIMISTIC_WRITE);
        }
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
