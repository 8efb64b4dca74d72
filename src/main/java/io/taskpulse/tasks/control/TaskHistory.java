package io.taskpulse.tasks.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.entity.HistoryEntry;
import io.taskpulse.tasks.entity.Status;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Each task's status history: newest first, kept for {@code taskpulse.history.retention}. */
@ApplicationScoped
public class TaskHistory {

    public static final int MAX_ENTRIES = 500;

    private static final Logger LOG = Logger.getLogger(TaskHistory.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Tasks tasks;

    @Inject
    Settings settings;

    @Inject
    TaskHistory self;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> purges;

    /** The newest {@code limit} entries of a task that exists. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HistoryEntry> of(long taskId, int limit) {
        tasks.find(taskId);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT status, status_message, changed_at FROM task_history "
                        + "WHERE task_id = ? ORDER BY changed_at DESC")
                .setParameter(1, taskId)
                .setMaxResults(Math.max(1, Math.min(limit, MAX_ENTRIES)))
                .getResultList();
        return rows.stream().map(row -> new HistoryEntry(Status.valueOf((String) row[0]), (String) row[1],
                ((Timestamp) row[2]).toInstant())).toList();
    }

    /** The newest {@code limit} entries of the task with this name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HistoryEntry> ofName(String name, int limit) {
        return of(tasks.getByName(name).getId(), limit);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int purgeOlderThan(Instant cutoff) {
        int history = em.createNativeQuery("DELETE FROM task_history WHERE changed_at < ?")
                .setParameter(1, Timestamp.from(cutoff))
                .executeUpdate();
        // Runs are history too: those that ended before the cutoff (an open run stays, however old).
        int runs = em.createNativeQuery("DELETE FROM task_run WHERE ended_at < ?")
                .setParameter(1, Timestamp.from(cutoff))
                .executeUpdate();
        return history + runs;
    }

    void start(@Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object applicationStarted) {
        Duration every = settings.historyRetention().compareTo(Duration.ofHours(1)) < 0
                ? settings.historyRetention().plusSeconds(1) : Duration.ofHours(1);
        purges = scheduler.scheduleWithFixedDelay(this::purge, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purge() {
        try {
            int purged = self.purgeOlderThan(Instant.now().minus(settings.historyRetention()));
            if (purged > 0) {
                LOG.log(Level.INFO, "Purged {0} history entries and runs older than {1}", new Object[]{purged, settings.historyRetention()});
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "History purge failed; retrying on the next run: {0}", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        if (purges != null) {
            purges.cancel(false);
        }
    }
}
