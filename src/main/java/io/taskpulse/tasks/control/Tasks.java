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
import java.util.List;
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
        Task task = new Task(name, description);
        if (findByName(task.getName()).isPresent()) {
            throw duplicate(task.getName());
        }
        em.persist(task);
        flushOrReject(task.getName());
        em.refresh(task);
        changed.fire(new TasksChanged("created"));
        return task;
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

    /** A status alone ends the open run, or records a run without a start: see {@link TaskRuns#end}. */
    private Task report(Task task, Status status, String message) {
        return runs.end(task, Ending.of(status, message)).task();
    }

    public void delete(long id) {
        em.remove(find(id));
        em.flush();
        changed.fire(new TasksChanged("deleted"));
    }

    public void deleteByName(String name) {
        em.remove(findByName(name).orElseThrow(() -> unknownName(name)));
        em.flush();
        changed.fire(new TasksChanged("deleted"));
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
        return em.createNamedQuery(Task.BY_NAME, Task.class)
                .setParameter("name", wanted)
                .getResultStream()
                .findFirst();
    }

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

    /** SQLState 23505 is "unique violation" on Derby and PostgreSQL alike. */
    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
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
