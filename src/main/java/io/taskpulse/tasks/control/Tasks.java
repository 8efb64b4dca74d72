package io.taskpulse.tasks.control;

import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.Schedule;
import java.time.Clock;
import java.time.Duration;
import io.taskpulse.tasks.entity.Status;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.Optional;

/**
 * Creates, finds, reports on and deletes tasks. Callers own the transaction (MANDATORY): a boundary starts one
 * per request, so a rejected request leaves nothing behind.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Tasks {

    @PersistenceContext
    EntityManager em;

    @Inject
    Event<TasksChanged> changed;

    @Inject
    TaskRuns runs;

    @Inject
    Clock clock;

    public Task create(String name, String description) {
        return create(name, description, null);
    }

    /** A new task with tags (null: none). */
    public Task create(String name, String description, Collection<String> tags) {
        Task task = new Task(name, description);
        task.tag(tags);
        if (findByName(task.getName()).isPresent()) {
            throw duplicate(task.getName());
        }
        em.persist(task);
        flushOrReject(task.getName());
        em.refresh(task);
        changed.fire(new TasksChanged("created"));
        return task;
    }

    /**
     * Takes a written task out of the persistence context for the rest of the transaction. A bulk report reads all
     * its tasks first and flushes once per item (each report is a history row), and every flush compares every
     * managed object: with 1,000 tasks and their runs kept managed, EclipseLink's change calculation was most of a
     * 1,000-item batch's CPU (issue 17, JFR). A task leaves after its batch's last item that names it.
     */
    public void leave(Task task) {
        em.detach(task);
    }

    public Task report(long id, Status status, String message) {
        return report(find(id), status, message);
    }

    public Task reportByName(String name, Status status, String message) {
        return report(findByName(name).orElseThrow(() -> unknownName(name)), status, message);
    }

    /**
     * Sets, replaces or (with both null) removes when the task is expected to run and how long a run may take; the
     * next run is expected counting from now, and an overdue task is no longer overdue.
     */
    public Task schedule(Task task, Schedule schedule, Duration maxRuntime) {
        task.schedule(schedule, maxRuntime, clock.instant());
        em.flush();
        em.refresh(task);
        changed.fire(new TasksChanged("scheduled"));
        return task;
    }

    /** See {@link Task#acknowledge}; {@code by} names the operator. */
    public Task acknowledge(Task task, String by, String note) {
        task.acknowledge(by, note, clock.instant());
        return changed(task, "acknowledged");
    }

    public Task unacknowledge(Task task) {
        task.unacknowledge();
        return changed(task, "unacknowledged");
    }

    /** See {@link Task#pause}. */
    public Task pause(Task task, String by) {
        task.pause(by, clock.instant());
        return changed(task, "paused");
    }

    public Task resume(Task task) {
        task.resume(clock.instant());
        return changed(task, "resumed");
    }

    /** A new name, unique like a new task's: a name another task has is a duplicate. */
    public Task rename(Task task, String name) {
        String wanted = Task.requiredName(name);
        if (findByName(wanted).filter(other -> !other.getId().equals(task.getId())).isPresent()) {
            throw duplicate(wanted);
        }
        task.rename(wanted);
        flushOrReject(wanted);
        return task;
    }

    /** Writes what the caller changed on the task (its description, tags) and tells the feed. */
    public Task changed(Task task, String what) {
        em.flush();
        em.refresh(task);
        changed.fire(new TasksChanged(what));
        return task;
    }

    /** A status alone ends the open run, or records a run without a start: see {@link TaskRuns#end}. */
    private Task report(Task task, Status status, String message) {
        return runs.end(task, Ending.of(status, message)).task();
    }

    public void delete(long id) {
        Task task = find(id);
        task.requireOwn("its row is deleted");
        em.remove(task);
        em.flush();
        changed.fire(new TasksChanged("deleted"));
    }

    public void deleteByName(String name) {
        Task task = findByName(name).orElseThrow(() -> unknownName(name));
        task.requireOwn("its row is deleted");
        em.remove(task);
        em.flush();
        changed.fire(new TasksChanged("deleted"));
    }

    /** Whether a task with one of these ids no longer exists (false for none). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean anyGone(Collection<Long> ids) {
        List<Long> wanted = List.copyOf(new LinkedHashSet<>(ids));
        for (int from = 0; from < wanted.size(); from += NAMES_PER_QUERY) {
            List<Long> chunk = wanted.subList(from, Math.min(wanted.size(), from + NAMES_PER_QUERY));
            if (em.createNamedQuery(Task.COUNT_IDS, Long.class).setParameter("ids", chunk).getSingleResult() < chunk.size()) {
                return true;
            }
        }
        return false;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Task find(long id) {
        Task task = em.find(Task.class, id);
        if (task == null) {
            throw TaskRejected.notFound("no task with id " + id);
        }
        return task;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Task> findByName(String name) {
        String wanted;
        try {
            wanted = Task.requiredName(name);
        } catch (TaskRejected impossible) {
            // No task can have this name; and PostgreSQL would fail the query on a NUL in it.
            return Optional.empty();
        }
        // Own tasks have unique names; a source's rows may repeat one (their table decides): the own task first, then
        // the oldest. Chosen here, not by an ORDER BY, which made Derby give up the name index (BulkReportsIT).
        return em.createNamedQuery(Task.BY_NAME, Task.class)
                .setParameter("name", wanted)
                .getResultStream()
                .min(OWN_FIRST);
    }

    /**
     * Many tasks by name in a few statements (a bulk report's), each name as {@link #findByName} would find it;
     * names no task has are missing from the map. Names no task can have must be refused by the caller first.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Task> findByNames(Collection<String> names) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(names));
        Map<String, Task> found = new HashMap<>();
        for (int from = 0; from < wanted.size(); from += NAMES_PER_QUERY) {
            em.createNamedQuery(Task.BY_NAMES, Task.class)
                    .setParameter("names", wanted.subList(from, Math.min(wanted.size(), from + NAMES_PER_QUERY)))
                    .getResultStream()
                    .forEach(task -> found.merge(task.getName(), task, BinaryOperator.minBy(OWN_FIRST)));
        }
        return found;
    }

    /** Of the tasks with one name: the own task first (unique among own tasks), then a source's oldest row. */
    private static final Comparator<Task> OWN_FIRST = Comparator.comparing(Task::fromSource).thenComparing(Task::getId);

    /** Bind parameters per IN list (names or ids): well under every database's limit, and a plan Derby still probes by index. */
    private static final int NAMES_PER_QUERY = 200;

    @Transactional(Transactional.TxType.SUPPORTS)
    public Task getByName(String name) {
        return findByName(name).orElseThrow(() -> unknownName(name));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Task> list(Optional<Status> status) {
        return status
                .map(s -> em.createNamedQuery(Task.WITH_STATUS, Task.class).setParameter("status", s))
                .orElseGet(() -> em.createNamedQuery(Task.ALL, Task.class))
                .getResultList();
    }

    /**
     * Tasks with the status and the tag, each when given. The tag is matched on the tags as read, not in SQL: another
     * program may have written the column in any spelling ({@link io.taskpulse.tasks.entity.Tags#read}).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Task> list(Optional<Status> status, Optional<String> tag) {
        List<Task> found = list(status);
        return tag.map(wanted -> found.stream().filter(task -> task.getTags().contains(wanted)).toList()).orElse(found);
    }

    /** The unique constraint has the last word when two requests create the same name at once. */
    private void flushOrReject(String name) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw duplicate(name);
            }
            throw e;
        }
    }

    /**
     * SQLState 23505 is "unique violation" on Derby and PostgreSQL alike; MariaDB says 23000 (any integrity
     * constraint) with its error 1062, "duplicate entry".
     */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("23505".equals(sql.getSQLState())
                    || "23000".equals(sql.getSQLState()) && sql.getErrorCode() == 1062)) {
                return true;
            }
        }
        return false;
    }

    private static TaskRejected duplicate(String name) {
        return TaskRejected.duplicate("a task named '" + name + "' already exists");
    }

    private static TaskRejected unknownName(String name) {
        return TaskRejected.notFound("no task named " + TaskRejected.quote(name == null ? "" : name.strip()));
    }
}
