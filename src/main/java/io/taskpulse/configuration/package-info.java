/**
 * Owns how TaskPulse is wired to its server: the DataSource, the REST root, and the settings read from
 * system properties or environment variables (see {@link io.taskpulse.configuration.Settings}).
 * <p>
 * The default DataSource is embedded Derby, kept under {@code derby.system.home} (Derby's own property;
 * the README's run command points it at {@code ~/.taskpulse}).
 */
package io.taskpulse.configuration;
