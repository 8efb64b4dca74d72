/**
 * Owns {@code GET /health}: 200 while the poller keeps reading the database (a successful poll within three poll
 * intervals), 503 with the reason otherwise. It runs no query of its own, so probing it often costs nothing.
 */
package io.taskpulse.health;
