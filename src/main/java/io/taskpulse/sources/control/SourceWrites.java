package io.taskpulse.sources.control;

import io.taskpulse.sources.entity.Source;
import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

/**
 * A status report for a task that mirrors a source row: written into the application's own status column (through the
 * mapping, the first value listed for the status), in the report's transaction, and only when the operator set
 * {@code taskpulse.source.NAME.writable=true}. The source's trigger then updates the mirror, so the board, history and
 * alerts follow as for any write to that table. A message goes into the message column when one is configured (a
 * report without one leaves it as it is: the column may not take NULL); the changed-at column, when configured, gets
 * the time. Runs, exit codes and output belong to TaskPulse's own tasks.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class SourceWrites {

    @PersistenceContext
    EntityManager em;

    @Inject
    Sources sources;

    public void report(Task task, Ending ending) {
        String name = task.getSource();
        Sources.State state = sources.installed(name).orElseThrow(() -> TaskRejected.conflict("task "
                + TaskRejected.quote(task.getName()) + " mirrors a row of source " + name
                + ", which is not installed on this server now (see GET /health)"));
        Source source = state.resolved().source();
        if (!source.writable()) {
            throw TaskRejected.conflict("task " + TaskRejected.quote(task.getName()) + " mirrors a row of source " + name
                    + ": its status is written by that table's application; TaskPulse writes it only with "
                    + source.setting("writable") + "=true");
        }
        if (ending.runId() != null || ending.output() != null || ending.exitCode() != null || ending.durationMillis() != null) {
            throw TaskRejected.conflict("task " + TaskRejected.quote(task.getName()) + " mirrors a row of source " + name
                    + ": it takes a status and a message; runs, exit codes, durations and output are for TaskPulse's own tasks");
        }
        String value = source.valueOf(ending.status()).orElseThrow(() -> TaskRejected.conflict("source " + name
                + " has no value for " + ending.status() + " in " + source.setting("map")));
        boolean withMessage = ending.message() != null && source.message() != null;
        Query update = em.createNativeQuery(sources.dialect().statusUpdate(state.resolved(), withMessage));
        int parameter = 1;
        update.setParameter(parameter++, value);
        if (withMessage) {
            update.setParameter(parameter++, ending.message());
        }
        update.setParameter(parameter, task.getSourceKey());
        if (update.executeUpdate() == 0) {
            throw TaskRejected.conflict("the row of task " + TaskRejected.quote(task.getName()) + " is no longer in "
                    + state.resolved().table());
        }
    }
}
