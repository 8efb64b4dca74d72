package io.taskpulse.tasks.control;

import io.taskpulse.tasks.entity.Report;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many reports in the caller's one transaction (a CI system's batch): every task is looked up first, so that all
 * the names that do not exist are refused together; then each item is applied in order, exactly as the single
 * report or start would be (a name twice in a batch is two reports, in that order). One wake-up of the poller for
 * the whole batch instead of one per item.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Reports {

    @Inject
    Tasks tasks;

    @Inject
    TaskRuns runs;

    @Inject
    Event<TasksChanged> changed;

    /** What one item did: the task's state right after it (a later item of the batch may change it again). */
    public record Applied(int index, long id, String name, String state, String runId) {
    }

    /** Items that cannot be applied, by index; the whole batch is refused with them. */
    public static final class Refused extends RuntimeException {
        private final transient Map<Integer, TaskRejected> items;

        public Refused(Map<Integer, TaskRejected> items) {
            super(items.size() + " of the reports cannot be applied", null, false, false);
            this.items = items;
        }

        public Map<Integer, TaskRejected> items() {
            return items;
        }
    }

    /**
     * @param found gets the ids of the tasks the batch found (not those it creates), for
     *              {@link WriteRetry#callAgainIfGone}
     */
    public List<Applied> apply(List<Report> reports, boolean create, Set<Long> found) {
        List<String> names = new ArrayList<>(reports.size());
        for (Report report : reports) {
            names.add(Task.requiredName(report.name()));
        }
        // One query per 200 names, not one per name: a batch of 1,000 reports read its tasks in 1,000 statements.
        Map<String, Task> byName = new HashMap<>(tasks.findByNames(names));
        byName.values().forEach(task -> found.add(task.getId()));
        Map<Integer, TaskRejected> missing = new java.util.TreeMap<>();
        if (!create) {
            for (int i = 0; i < names.size(); i++) {
                if (!byName.containsKey(names.get(i))) {
                    missing.put(i, TaskRejected.notFound("no task named " + TaskRejected.quote(names.get(i))
                            + "; add ?create=true to create it with this report"));
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new Refused(missing);
        }
        Map<String, Integer> lastItem = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            lastItem.put(names.get(i), i);
        }
        List<Applied> applied = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            Report report = reports.get(i);
            String name = names.get(i);
            Task task = byName.computeIfAbsent(name, n -> tasks.create(n, null));
            Task after = report.start() ? runs.start(task, report.runId(), false) : runs.end(task, report.ending(), false).task();
            applied.add(new Applied(i, after.getId(), after.getName(), after.getState(), after.getRunId()));
            if (lastItem.get(name) == i) {
                tasks.leave(after); // written (each item flushes its own); see Tasks.leave
            }
        }
        changed.fire(new TasksChanged("reported"));
        return applied;
    }
}
