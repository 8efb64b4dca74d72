package io.taskpulse.schema.control;

import java.util.UUID;
import org.apache.derby.jdbc.EmbeddedDataSource;

/** For tests that need TaskPulse's real schema on a database of their own. */
public final class SchemaMigrationAccess {

    private SchemaMigrationAccess() {
    }

    /** A new in-memory Derby database, migrated as TaskPulse migrates its own at start. */
    public static EmbeddedDataSource freshDerby() {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName("memory:" + UUID.randomUUID());
        dataSource.setCreateDatabase("create");
        dataSource.setUser("taskpulse");
        SchemaMigration migration = new SchemaMigration();
        migration.dataSource = dataSource;
        migration.migrate();
        return dataSource;
    }
}
