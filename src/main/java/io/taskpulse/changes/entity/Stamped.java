package io.taskpulse.changes.entity;

/**
 * Fired by the change poller after a stamping transaction committed ({@link Stamping} was fired inside it): what an
 * observer of {@link Stamping} wrote is now visible to other transactions. Alerts use it to deliver at once what the
 * stamp queued, on every server, without a transaction-synchronization hook that not every container gives a CDI bean.
 *
 * @param changes how many changes the stamp gave a revision
 */
public record Stamped(int changes) {
}
