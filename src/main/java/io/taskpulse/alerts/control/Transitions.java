package io.taskpulse.alerts.control;

import io.taskpulse.alerts.entity.Alert;
import io.taskpulse.alerts.entity.AlertState;
import io.taskpulse.alerts.entity.Damping;
import io.taskpulse.alerts.entity.Rule;
import io.taskpulse.alerts.entity.Transition;
import io.taskpulse.changes.entity.Stamped;
import io.taskpulse.changes.entity.Stamping;
import io.taskpulse.configuration.SetByKey;
import io.taskpulse.configuration.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds the transitions alerts tell, in the stamping transaction (see the package description): for each task row
 * waiting for a revision, compares its status and overdue flag with {@code task.alert_state}, writes one outbox row
 * per transition and matching rule (damped, see {@link Damping}), and stores the new state. One server stamps at a
 * time under the feed clock's lock, so each change is evaluated once; a state reported again is no transition.
 */
@ApplicationScoped
public class Transitions {

    @PersistenceContext
    EntityManager em;

    @Inject
    Settings settings;

    @Inject
    Dispatcher dispatcher;

    /**
     * Set when a stamp queued alerts, read after it committed ({@link Stamped}). Not a transaction synchronization:
     * TomEE gave a CDI bean no registry, and alerts then waited for a tick inside a 5 s window that a loaded server
     * missed (AlertsIT on TomEE × Derby in CI: no delivery within 30 s).
     */
    private final AtomicBoolean queuedInStamp = new AtomicBoolean();

    /**
     * Reads the changed rows FOR UPDATE, locks held until the stamp commits: a write that commits between this read
     * and the stamp would otherwise be stamped with this evaluation of the older state, and its transition never told
     * (MariaDB showed it: a FAILED report right after a create sent no alert). Locked, such a write waits for the
     * stamp and is pending again after. Derby lets go of a FOR UPDATE row lock when the cursor moves past a row it did
     * not update, under read committed: there {@code WITH RS} keeps the locks (TomEE × Derby lost 5 of 40 such alerts
     * without it, AlertsIT). Held locks can meet a multi-row writer (a bulk report holding a row the scan waits for,
     * wanting one the scan holds): Derby finds such a deadlock within its 1 s check (SchemaMigration sets it) and the
     * loser runs again (WriteRetry for a write, the next poll for the stamp); nothing is lost.
     * <p>
     * On PostgreSQL and MariaDB the stamp takes those locks itself before firing {@link Stamping}, with {@code SKIP
     * LOCKED} (see {@code ChangeLog.pendingTasks}), and this reads without a lock clause, evaluating only the rows the
     * stamp holds ({@link Stamping#tasks()}); a row a writer held is evaluated with the stamp that stamps it. On
     * PostgreSQL that lock is {@code FOR NO KEY UPDATE}: it still makes a report's UPDATE of the row wait, but not the
     * foreign-key check of a run inserted for the task ({@code FOR KEY SHARE}), which {@code FOR UPDATE} made wait
     * (issue 17: most waiting backends under 16 writers). The new states are written together at the end
     * ({@link SetByKey}), so the locks are held for a few statements, not two per changed row.
     */
    void beforeStamp(@Observes Stamping stamping) {
        // PostgreSQL and MariaDB: the stamp holds these rows' locks already (ChangeLog.pendingTasks), and reading a
        // row it skipped would wait for that row's writer, so no lock here. Derby: the locks are taken here.
        String select = "SELECT id, name, status, status_message, overdue, alert_state, alert_window_start, "
                + "alert_window_count, ack_state, tags, paused_at, schedule FROM task WHERE revision IS NULL"
                + (settings.onDerby() ? " FOR UPDATE WITH RS" : "");
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(select).getResultList();
        List<Rule> rules = null;
        Damping damping = new Damping(settings.alertsDampingLimit(), settings.alertsDampingWindow());
        Instant now = stamping.at();
        boolean queued = false;
        Map<Long, String> states = new LinkedHashMap<>();
        for (Object[] row : rows) {
            long id = ((Number) row[0]).longValue();
            if (!stamping.tasks().contains(id)) {
                continue; // not stamped now: evaluated with the stamp that gives it its revision
            }
            String name = (String) row[1];
            String status = (String) row[2];
            String message = (String) row[3];
            AlertState before = AlertState.parse((String) row[5]);
            AlertState after = new AlertState(status, truth(row[4]));
            if (after.stored().equals(row[5])) {
                continue;
            }
            Instant windowStart = row[6] == null ? null : ((Timestamp) row[6]).toInstant();
            int count = row[7] == null ? 0 : ((Number) row[7]).intValue();
            String acknowledged = (String) row[8];
            String tags = (String) row[9];
            if (acknowledged != null && !acknowledged.equals(after.boardState())) {
                endAcknowledgement(id);
            }
            List<Transition> found = before.transitionsTo(after);
            if (before.overdue() && !after.overdue() && before.status().equals(after.status())
                    && (row[10] != null || row[11] == null)) {
                // Overdue ended because an operator paused the schedule or it was removed, not because the job ran:
                // no "recovered" (review of issue 15). The state is still recorded, so the next report starts afresh.
                found = found.stream().filter(t -> t != Transition.RECOVERED).toList();
            }
            if (!found.isEmpty()) {
                if (rules == null) {
                    rules = em.createNamedQuery(Rule.ALL, Rule.class).getResultList();
                }
                for (Transition transition : found) {
                    List<Rule> all = rules;
                    if (all.stream().noneMatch(rule -> rule.matches(transition, name, tags))) {
                        continue; // damping counts what would be told: changes before any rule (the tour's) do not
                    }
                    Damping.Step step = damping.next(windowStart, count, now);
                    windowStart = step.windowStart();
                    count = step.count();
                    if (step.decision() == Damping.Decision.HOLD) {
                        continue;
                    }
                    Transition told = step.decision() == Damping.Decision.SUMMARY ? Transition.FLAPPING : transition;
                    for (Rule rule : rules) {
                        if (rule.matches(transition, name, tags)) {
                            em.persist(new Alert(rule.getChannelId(), rule.getId(), id, name, told, status, message, count, now));
                            queued = true;
                        }
                    }
                }
            }
            // No NULL parameter: PostgreSQL types an untyped NULL as varchar, and a timestamp column refuses it.
            if (windowStart == null) {
                states.put(id, after.stored());
            } else {
                em.createNativeQuery("UPDATE task SET alert_state = ?, alert_window_start = ?, alert_window_count = ? WHERE id = ?")
                        .setParameter(1, after.stored())
                        .setParameter(2, Timestamp.from(windowStart))
                        .setParameter(3, count)
                        .setParameter(4, id)
                        .executeUpdate();
            }
        }
        new SetByKey("task", "id", "alert_state", settings.onMariaDb() ? null : "VARCHAR(40)").apply(em, states);
        if (queued) {
            queuedInStamp.set(true);
        }
    }

    /**
     * The stamp committed: deliver what it queued now, not at the dispatcher's next safety round. A stamp that rolled
     * back leaves the flag set and costs one round that finds nothing.
     */
    void afterStamp(@Observes Stamped stamped) {
        if (queuedInStamp.getAndSet(false)) {
            dispatcher.wake();
        }
    }

    /**
     * An operator's acknowledgement holds while the task stays in the acknowledged state ("no more alerts until it
     * changes": without a transition there is no alert anyway) and ends with the first change of state. TaskPulse's
     * own writes end it in the same write (Task); a program that writes status with SQL does not, so it ends here,
     * where every change passes: otherwise FAILED, SUCCEEDED, FAILED written by SQL would show the old
     * acknowledgement on a failure nobody has seen. The ack columns are in the change trigger's list, so boards see
     * it go in the same stamp.
     */
    private void endAcknowledgement(long taskId) {
        em.createNativeQuery("UPDATE task SET ack_state = NULL, ack_by = NULL, ack_at = NULL, ack_note = NULL WHERE id = ?")
                .setParameter(1, taskId)
                .executeUpdate();
    }

    private static boolean truth(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        return value instanceof Number n && n.intValue() != 0;
    }

}
