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
 */
@DataSourceDefinitions({
    @DataSourceDefinition(
            name = "java:app/jdbc/taskpulse",
            className = "io.taskpulse.configuration.TaskPulseDataSource",
            user = "taskpulse",
            initialPoolSize = 2,
            minPoolSize = 2,
            maxPoolSize = 32),
    @DataSourceDefinition(
            name = "java:app/jdbc/taskpulse-nonjta",
            className = "io.taskpulse.configuration.TaskPulseDataSource",
            user = "taskpulse",
            transactional = false,
            initialPoolSize = 1,
            minPoolSize = 1,
            maxPoolSize = 8)
})
@ApplicationScoped
public class Database {
}
