/**
 * Owns how TaskPulse is wired to its server: the DataSource, the REST root, and the settings read from
 * system properties or environment variables (see {@link io.taskpulse.configuration.Settings}).
 * <p>
 * The default DataSource is embedded Derby, kept under {@code derby.system.home} (Derby's own property;
 * the README's run command points it at {@code ~/.taskpulse}).
 * <p>
 * Also owns what counts as "the database cannot be reached" ({@link io.taskpulse.configuration.ConnectionFailure}),
 * next to the DataSource whose failures it reads: the API answers those with 503 + Retry-After, the poller tells
 * clients "database unavailable"; every other failure stays an error.
 */
package io.taskpulse.configuration;
