/**
 * Owns {@code GET /health}: 200 while the poller keeps reading the database (a successful poll within three poll
 * intervals), 503 with the reason and a Retry-After (the poller's next attempt) otherwise. It runs no query of its
 * own, so probing it often costs nothing.
 * It also says why the feed is behind while it is: the database failing, or a feed that fell out of step with the
 * database and is being reloaded (see {@link io.taskpulse.changes}).
 */
package io.taskpulse.health;
