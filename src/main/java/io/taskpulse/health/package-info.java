/**
 * Owns {@code GET /health}: 200 while the poller keeps reading the database (a successful poll within three poll
 * intervals), 503 with the reason and a Retry-After (the poller's next attempt) otherwise. It runs no query of its
 * own, so probing it often costs nothing.
 * <p>
 * Also owns what counts as "the database cannot be reached" ({@link io.taskpulse.health.control.ConnectionFailure}):
 * the API answers those with 503 + Retry-After, the feed tells its clients "database unavailable"; every other
 * failure stays an error.
 */
package io.taskpulse.health;
