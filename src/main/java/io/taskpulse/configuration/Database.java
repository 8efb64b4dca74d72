package io.taskpulse.configuration;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.annotation.sql.DataSourceDefinitions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * TaskPulse's DataSources. Which database they reach is decided at deploy time by {@link TaskPulseDataSource}
 * (embedded Derby unless {@code taskpulse.db.url} says otherwise). The user is set so that no server falls back
 * to its own default (TomEE would connect as "sa"); pool sizes are explicit so servers don't guess.
 * <p>
 * The second, non-transactional one is what persistence.xml names as {@code non-jta-data-source}. Declared here
 * for portability: without it TomEE creates its own non-JTA copy of the first, outside the application, and keeps
 * it when the application is undeployed, still holding the old deployment's DataSource class and connections.
 * Payara uses it for EclipseLink's reads outside a transaction, as it is meant for.
 * <p>
 * Outages: the pool checks a connection ({@code Connection.isValid}) before handing it out and replaces one that
 * fails, so after the database restarts no request gets a dead connection from before; a request
 * waits at most {@value #MAX_WAIT_MILLIS} ms for a free connection (Payara's default is a minute), then fails as
 * "database unavailable" (503). The check costs a round trip per checkout (PostgreSQL's driver sends an empty
 * query): the idle poller's one statement per second comes with one such ping. Checking at most once a minute
 * instead ({@code validate-atmost-once-period-in-seconds}) was tried and refused: EclipseLink then read through the
 * non-transactional pool even inside a write's transaction, so after a restart writes met dead connections and
 * failed (DatabaseOutageIT). (Reads in a transaction now use its connection, {@code persistence.xml}'s
 * {@code join-existing}; worth trying again.) Together with the driver timeouts in {@link TaskPulseDataSource} no connection
 * stays pinned by a database that stopped answering. Payara's {@code fail-all-connections} (drop every connection
 * when one fails its check) is off on purpose: it also closes connections that other requests have just checked
 * and are using, so a burst of writes right after a restart got "This connection has been closed" and 503s
 * (DatabaseOutageIT, 2 of 48 writes). Each dead connection fails its own check instead, at once after a restart.
 * The {@code fish.payara.*} properties are Payara's; other servers ignore them.
 */
@DataSourceDefinitions({
    @DataSourceDefinition(
            name = "java:app/jdbc/taskpulse",
            className = "io.taskpulse.configuration.TaskPulseDataSource",
            user = "taskpulse",
            initialPoolSize = 2,
            minPoolSize = 2,
            maxPoolSize = 32,
            properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.max-wait-time-in-millis=" + Database.MAX_WAIT_MILLIS}),
    @DataSourceDefinition(
            name = "java:app/jdbc/taskpulse-nonjta",
            className = "io.taskpulse.configuration.TaskPulseDataSource",
            user = "taskpulse",
            transactional = false,
            initialPoolSize = 1,
            minPoolSize = 1,
            maxPoolSize = 8,
            properties = {
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.max-wait-time-in-millis=" + Database.MAX_WAIT_MILLIS})
})
@ApplicationScoped
public class Database {

    static final int MAX_WAIT_MILLIS = 10_000;
}
