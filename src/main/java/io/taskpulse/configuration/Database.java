package io.taskpulse.configuration;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Embedded Derby, created on first use. A user is set so that Derby's schema is TASKPULSE on every server
 * (without one, TomEE connects as "sa"). Pool sizes are explicit so servers don't guess.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/taskpulse",
        className = "org.apache.derby.jdbc.EmbeddedDataSource",
        databaseName = "taskpulse",
        user = "taskpulse",
        password = "taskpulse",
        properties = {"createDatabase=create"},
        initialPoolSize = 2,
        minPoolSize = 2,
        maxPoolSize = 32)
@ApplicationScoped
public class Database {
}
