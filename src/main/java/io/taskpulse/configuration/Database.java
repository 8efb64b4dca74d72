package io.taskpulse.configuration;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * TaskPulse's DataSource. Which database it reaches is decided at deploy time by {@link TaskPulseDataSource}
 * (embedded Derby unless {@code taskpulse.db.url} says otherwise). The user is set so that no server falls back
 * to its own default (TomEE would connect as "sa"); pool sizes are explicit so servers don't guess.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/taskpulse",
        className = "io.taskpulse.configuration.TaskPulseDataSource",
        user = "taskpulse",
        initialPoolSize = 2,
        minPoolSize = 2,
        maxPoolSize = 32)
@ApplicationScoped
public class Database {
}
