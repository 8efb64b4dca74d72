/**
 * Alerts: telling the right people, once per transition, that a task failed, became overdue, or recovered.
 * <p>
 * <b>What it owns.</b> Channels (a signed JSON webhook, a Slack incoming webhook, e-mail over SMTP) and rules
 * (which transitions of which tasks, by name glob and tag, go to which channel), managed over {@code /api/channels}
 * and {@code /api/rules}; the outbox {@code alert_outbox} and its delivery; the delivery log {@code alert_delivery}.
 * <p>
 * <b>Where transitions are found: in the stamp.</b> Every change to a task, whoever made it (the API, the overdue
 * and timeout check of {@code tasks.control.Deadlines}, a script's direct SQL), ends up as a row with
 * {@code revision IS NULL}, and the change poller stamps it ({@code changes.control.ChangeLog#stampPending}), one
 * server at a time under the feed clock's row lock. Just before it stamps, in the same transaction, ChangeLog fires
 * {@code changes.entity.Stamping}; {@link io.taskpulse.alerts.control.Transitions} observes it, compares each waiting
 * row's status and overdue flag with {@code task.alert_state} (the state alerts were last evaluated against) and
 * writes the outbox rows and the new state. So an alert commits if and only if the stamp of the change that caused it
 * commits (a transactional outbox), and each change is evaluated once even with several servers. The alert columns
 * are not in the {@code task_changed} trigger's list: writing them does not mark the row changed again. An API write
 * cannot be the hook instead: it would miss SQL writers. Changes that commit between two stamps (within
 * milliseconds, since every write wakes the poller) are evaluated together: FAILED then SUCCEEDED before a stamp
 * shows as no transition.
 * <p>
 * <b>Transitions.</b> To FAILED (from any other status), to overdue, and recovery (to SUCCEEDED, not overdue, from
 * FAILED or overdue). A status reported again is no transition: one alert per transition, never per report.
 * <b>Damping</b> ({@link io.taskpulse.alerts.entity.Damping}): within a window (default 10 min) opened by a task's
 * first transition, its first N (default 5) transitions are alerted, the next one sends one FLAPPING summary, and
 * later ones nothing until the window ends. <b>Acknowledgement</b> (a later change) plugs into
 * {@code Transitions#acknowledged}: the state is still recorded, only the outbox rows are left out.
 * <p>
 * <b>Delivery: at least once, once per alert when nothing crashes.</b> {@link io.taskpulse.alerts.control.Dispatcher}
 * runs on the container's ManagedScheduledExecutorService (cancelled in {@code @PreDestroy}), claims one due row at
 * a time (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}, then a conditional UPDATE that moves the row's due time one
 * lease ahead; Derby: the conditional UPDATE alone), sends it with connect and read timeouts, and records SENT,
 * the next attempt ({@link io.taskpulse.alerts.control.RetryPolicy}: capped exponential backoff with jitter,
 * Retry-After on 429, 4xx other than 408/429 never retried) or FAILED. A server killed mid-send leaves its claim to
 * expire after the lease (default 60 s); another server (or the same one, restarted) sends the alert again, with the
 * same {@code Idempotency-Key}: that one alert may arrive twice, never one that was confirmed. With several servers
 * on one PostgreSQL each alert is claimed by one server at a time.
 * <p>
 * <b>Security.</b> Targets are checked against {@code taskpulse.alerts.allow-hosts}
 * ({@link io.taskpulse.alerts.control.Targets}): by default private, loopback, link-local and other internal
 * addresses are refused, for every address a host resolves to, when a channel is created and before every send.
 * Redirects are not followed at all. Task text is data: JSON-encoded, Slack-escaped, and never in an e-mail header.
 * Secrets are never returned by a GET (a generated webhook secret is shown once, in the creating POST's answer).
 */
package io.taskpulse.alerts;
