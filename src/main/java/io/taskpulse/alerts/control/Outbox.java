package io.taskpulse.alerts.control;

import io.taskpulse.alerts.entity.Alert;
import io.taskpulse.alerts.entity.Channel;
import io.taskpulse.alerts.entity.Delivery;
import io.taskpulse.alerts.entity.Outcome;
import io.taskpulse.configuration.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The outbox's rows as delivery sees them; each method is one short transaction. A claim moves a due row's
 * {@code next_attempt_at} one lease ahead and names the claim: a row whose server died mid-send is due again when the
 * lease ends, and any server takes it then. Rows are claimed one at a time; on PostgreSQL with
 * {@code FOR UPDATE SKIP LOCKED}, so servers claiming together take different rows without waiting; the claim itself
 * is a conditional UPDATE (still due, still PENDING), which alone is enough on Derby's single server. SENT and FAILED
 * are final: no claim matches them, so a confirmed alert is never sent again.
 */
@ApplicationScoped
public class Outbox {

    @PersistenceContext
    EntityManager em;

    @Inject
    Settings settings;

    /** A claimed alert, its channel, and the claim's token. */
    public record Claimed(Alert alert, Channel channel, String claim) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Claimed claimOne(Instant now, String claim) {
        Timestamp at = Timestamp.from(now);
        String select = "SELECT id FROM alert_outbox WHERE state = 'PENDING' AND next_attempt_at <= ? "
                + "ORDER BY next_attempt_at, id " + (settings.onPostgresql() ? "LIMIT 1 FOR UPDATE SKIP LOCKED" : "FETCH FIRST 1 ROWS ONLY");
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery(select).setParameter(1, at).getResultList();
        if (ids.isEmpty()) {
            return null;
        }
        long id = ((Number) ids.get(0)).longValue();
        int claimed = em.createNativeQuery("UPDATE alert_outbox SET next_attempt_at = ?, claim = ?, attempts = attempts + 1 "
                        + "WHERE id = ? AND state = 'PENDING' AND next_attempt_at <= ?")
                .setParameter(1, Timestamp.from(now.plus(settings.alertsLease())))
                .setParameter(2, claim)
                .setParameter(3, id)
                .setParameter(4, at)
                .executeUpdate();
        if (claimed != 1) {
            return new Claimed(null, null, null); // another server was quicker: look again
        }
        Alert alert = em.find(Alert.class, id);
        em.refresh(alert);
        return new Claimed(alert, em.find(Channel.class, alert.getChannelId()), claim);
    }

    /** The receiver confirmed: final, whoever held the claim. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void confirmed(Claimed claimed, Outcome outcome, Instant at, long millis) {
        em.createNativeQuery("UPDATE alert_outbox SET state = 'SENT', done_at = ?, last_outcome = ? WHERE id = ? AND state = 'PENDING'")
                .setParameter(1, Timestamp.from(at))
                .setParameter(2, describe(outcome))
                .setParameter(3, claimed.alert().getId())
                .executeUpdate();
        log(claimed, outcome, at, millis);
    }

    /** Try again at {@code next}; or, with null, give up (FAILED). Only while this server still holds the claim. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void unconfirmed(Claimed claimed, Outcome outcome, Instant at, long millis, Instant next) {
        String sql = next == null
                ? "UPDATE alert_outbox SET state = 'FAILED', done_at = ?, last_outcome = ? WHERE id = ? AND claim = ? AND state = 'PENDING'"
                : "UPDATE alert_outbox SET next_attempt_at = ?, last_outcome = ? WHERE id = ? AND claim = ? AND state = 'PENDING'";
        em.createNativeQuery(sql)
                .setParameter(1, Timestamp.from(next == null ? at : next))
                .setParameter(2, describe(outcome))
                .setParameter(3, claimed.alert().getId())
                .setParameter(4, claimed.claim())
                .executeUpdate();
        log(claimed, outcome, at, millis);
    }

    /** Into the channel's log, unless the channel was deleted meanwhile (its log went with it). */
    private void log(Claimed claimed, Outcome outcome, Instant at, long millis) {
        if (em.find(Channel.class, claimed.alert().getChannelId()) != null) {
            em.persist(new Delivery(claimed.alert(), claimed.alert().getAttempts(), outcome, at, millis));
        }
    }

    /** A test alert's attempt, logged like any other. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void logged(Alert alert, Outcome outcome, Instant at, long millis) {
        em.persist(new Delivery(alert, 1, outcome, at, millis));
    }

    /** How many alerts wait, and when the first of them is due (null when none waits). */
    public record Backlog(long pending, Instant nextDue) {
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Backlog backlog() {
        Object[] row = (Object[]) em.createNativeQuery(
                "SELECT COUNT(*), MIN(next_attempt_at) FROM alert_outbox WHERE state = 'PENDING'").getSingleResult();
        return new Backlog(((Number) row[0]).longValue(), instant(row[1]));
    }

    /** A timestamp as the drivers return it: Timestamp (Derby, PostgreSQL), or a local date-time in UTC (MariaDB). */
    private static Instant instant(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.LocalDateTime local) {
            return local.toInstant(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return null;
    }

    private static String describe(Outcome outcome) {
        String text = outcome.error() != null ? outcome.error() : outcome.status() == 0 ? "delivered" : "HTTP " + outcome.status();
        return text.length() <= 500 ? text : text.substring(0, 500);
    }
}
