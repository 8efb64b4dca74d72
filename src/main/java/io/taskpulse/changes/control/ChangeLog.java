package io.taskpulse.changes.control;

import io.taskpulse.changes.entity.Change;
import io.taskpulse.changes.entity.ChangeBatch;
import io.taskpulse.changes.entity.FeedClock;
import io.taskpulse.changes.entity.Headline;
import io.taskpulse.changes.entity.Stamping;
import io.taskpulse.changes.entity.Tombstone;
import io.taskpulse.configuration.SetByKey;
import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.entity.Task;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The feed's side of the database: gives committed changes their revisions (stamping) and reads them back.
 * Each method is its own short transaction. See the package description for why this order is safe.
 */
@ApplicationScoped
public class ChangeLog {

    @PersistenceContext
    EntityManager em;

    @Inject
    Event<Stamping> stamping;

    @Inject
    Settings settings;

    private final Jsonb jsonb = JsonbBuilder.create();

    /**
     * The clock and how many committed changes wait for a revision, in ONE statement: all an idle poll costs the
     * database (see the package description, "Costs"). In a transaction like every read here, although it only
     * reads: outside one, EclipseLink kept a connection the database had dropped and every later poll failed on
     * it (DatabaseOutageIT). Since reads in a transaction use its own connection
     * ({@code eclipselink.transaction.join-existing}, which took two pool checkouts off every report) the glance comes
     * with a BEGIN (sent with it) and a COMMIT: one more round trip per idle poll, measured on PostgreSQL as 13
     * statements and 4 pings in 20 idle seconds instead of 8 and 4.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Glance glance() {
        Object[] row = (Object[]) em.createNamedQuery(FeedClock.GLANCE).getSingleResult();
        return new Glance(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue() + ((Number) row[3]).longValue());
    }

    /** What {@link #glance()} saw. */
    public record Glance(long revision, long horizon, long pending) {

        /** Whether a poller whose cursor is at {@code cursor} has nothing to do. */
        public boolean nothingAfter(long cursor) {
            return pending == 0 && revision == cursor;
        }
    }

    /**
     * Gives every committed, not yet stamped change the next revision, under the clock's row lock. Called when
     * {@link #glance()} saw pending changes; reads them again under the lock, since another node may have stamped
     * them meanwhile. Before stamping, observers of {@link Stamping} (alerts' transitions) write in this same
     * transaction. Revisions follow the order of the changes' times; they are written in one statement per
     * {@link SetByKey} chunk (up to 256 rows), not one per row: every report of a pending task waits for this
     * transaction's row locks (issue 17).
     *
     * @return how many changes were stamped
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int stampPending() {
        FeedClock clock = em.find(FeedClock.class, FeedClock.ID, LockModeType.PESSIMISTIC_WRITE);
        List<Object[]> tasks = pendingTasks();
        List<Object[]> tombstones = em.createNamedQuery(Tombstone.PENDING, Object[].class).getResultList();
        List<Stampable> pending = new ArrayList<>(tasks.size() + tombstones.size());
        tasks.forEach(row -> pending.add(Stampable.of(row, false)));
        if (!tasks.isEmpty()) {
            stamping.fire(new Stamping(Instant.now(), pending.stream().map(Stampable::id).collect(Collectors.toSet())));
        }
        tombstones.forEach(row -> pending.add(Stampable.of(row, true)));
        pending.sort(Comparator.comparing(Stampable::changedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        Map<Long, Long> taskRevisions = new LinkedHashMap<>();
        Map<Long, Long> tombstoneRevisions = new LinkedHashMap<>();
        for (Stampable change : pending) {
            (change.tombstone() ? tombstoneRevisions : taskRevisions).put(change.id(), clock.advance());
        }
        String revision = settings.onMariaDb() ? null : "BIGINT";
        new SetByKey("task", "id", "revision", revision).apply(em, taskRevisions);
        new SetByKey("task_tombstone", "task_id", "revision", revision).apply(em, tombstoneRevisions);
        return pending.size();
    }

    /**
     * The task rows waiting for a revision: id and change time. On PostgreSQL and MariaDB read with their row locks
     * ({@code FOR NO KEY UPDATE} / {@code FOR UPDATE}) and {@code SKIP LOCKED}: a row that a writer holds is left for
     * the poll its commit wakes, and the stamp waits for nobody. Waiting was a convoy under bulk reports (issue 17):
     * the stamp waited for a bulk transaction to commit (0.9 s a time) while holding the rows it had locked, so every
     * other writer of those rows waited for the stamp. The rows locked here are what alerts evaluate
     * ({@link Stamping#tasks()}); a report's UPDATE of such a row waits until the stamp commits, and is pending again
     * after. Derby has no {@code SKIP LOCKED}: there the rows are read without a lock and alerts lock them all.
     * <p>
     * A row skipped because a transaction locked it without changing it ({@code SELECT … FOR UPDATE} and a rollback)
     * sends no notification; it is stamped at the next poll that finds it free, at the latest after
     * {@code taskpulse.poll.listening-interval}.
     */
    private List<Object[]> pendingTasks() {
        if (settings.onDerby()) {
            return em.createNamedQuery(Task.PENDING, Object[].class).getResultList();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, changed_at FROM task WHERE revision IS NULL "
                + "ORDER BY changed_at, id " + (settings.onPostgresql() ? "FOR NO KEY UPDATE" : "FOR UPDATE")
                + " SKIP LOCKED").getResultList();
        return rows;
    }

    /** The changes in (after, clock]. Reading the clock first makes the read complete: see the package description. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ChangeBatch readAfter(long after) {
        FeedClock clock = em.find(FeedClock.class, FeedClock.ID);
        long upTo = clock.revision();
        if (upTo <= after) {
            return ChangeBatch.delta(after, upTo, clock.horizon(), List.of());
        }
        return ChangeBatch.delta(after, upTo, clock.horizon(), changesBetween(after, upTo));
    }

    /** Every task with a revision, and the tombstones not yet purged: the state at the clock's revision. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public ChangeBatch readAll() {
        FeedClock clock = em.find(FeedClock.class, FeedClock.ID);
        return ChangeBatch.full(clock.revision(), clock.horizon(), changesBetween(0, clock.revision()));
    }

    /**
     * Drops tombstones deleted before the cutoff and moves the horizon past them.
     *
     * @return the new horizon, or -1 when nothing was old enough
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long purgeTombstones(Instant cutoff) {
        Long newest = em.createNamedQuery(Tombstone.NEWEST_EXPIRED, Long.class)
                .setParameter("cutoff", Timestamp.from(cutoff))
                .getSingleResult();
        if (newest == null) {
            return -1;
        }
        FeedClock clock = em.find(FeedClock.class, FeedClock.ID, LockModeType.PESSIMISTIC_WRITE);
        em.createNamedQuery(Tombstone.PURGE_THROUGH).setParameter("revision", newest).executeUpdate();
        clock.purgedThrough(newest);
        return clock.horizon();
    }

    private List<Change> changesBetween(long after, long upTo) {
        List<Change> changes = new ArrayList<>();
        em.createNamedQuery(Task.CHANGED_BETWEEN, Task.class)
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .getResultStream()
                .forEach(task -> changes.add(new Change(task.getId(), task.getRevision(), jsonb.toJson(task), task.getChangedAt(),
                        new Headline(task.getName(), task.getState(), task.getTags()))));
        em.createNamedQuery(Tombstone.BETWEEN, Tombstone.class)
                .setParameter("after", after)
                .setParameter("upTo", upTo)
                .getResultStream()
                .forEach(tombstone -> changes.add(new Change(tombstone.taskId(), tombstone.revision(), null, tombstone.deletedAt())));
        changes.sort(Comparator.comparingLong(Change::revision));
        return changes;
    }

    @PreDestroy
    void close() {
        try {
            jsonb.close();
        } catch (Exception ignored) {
            // nothing to release that matters at shutdown
        }
    }

    /** A pending change: a task's or a tombstone's id (a task's id in both) and when it happened. */
    private record Stampable(long id, Timestamp changedAt, boolean tombstone) {

        static Stampable of(Object[] row, boolean tombstone) {
            return new Stampable(((Number) row[0]).longValue(), timestamp(row[1]), tombstone);
        }

        /** JPQL gives a {@code Timestamp}; a native read gives what the driver maps the column to. */
        private static Timestamp timestamp(Object value) {
            if (value == null || value instanceof Timestamp) {
                return (Timestamp) value;
            }
            if (value instanceof java.time.LocalDateTime local) {
                return Timestamp.valueOf(local);
            }
            if (value instanceof java.time.OffsetDateTime offset) {
                return Timestamp.from(offset.toInstant());
            }
            if (value instanceof Instant instant) {
                return Timestamp.from(instant);
            }
            throw new IllegalStateException("change time of an unexpected type: " + value.getClass().getName());
        }
    }
}
