package io.taskpulse.sources.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.it.ExternalWriter;
import io.taskpulse.sources.entity.Source;
import io.taskpulse.tasks.entity.Status;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A database user without the TRIGGER right on the table: the source is refused with a message that names the
 * right and the GRANT to run, and nothing is left installed on the table. Against the real PostgreSQL or MariaDB,
 * as a user that was given SELECT on the table and everything on TaskPulse's own tables, but not TRIGGER.
 */
@EnabledIf("io.taskpulse.it.ExternalWriter#sharedDatabase")
class SourceRightsIT {

    private static final String LIMITED = "taskpulse_limited";
    private static final Source SOURCE = new Source("rights", null, "rights_job", "id", "title", "state", null, null, null,
            Map.of("1", Status.NOT_RUN, "2", Status.SUCCEEDED, "3", Status.FAILED), false);

    @BeforeAll
    static void aTableAndAUserWithoutTriggerRights() throws SQLException {
        try (Connection admin = admin(); Statement sql = admin.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS rights_job");
            sql.execute("CREATE TABLE rights_job (id int PRIMARY KEY, title varchar(50), state int)");
            sql.execute("INSERT INTO rights_job VALUES (1, 'kept', 2)");
            if (ExternalWriter.postgresql()) {
                sql.execute("DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + LIMITED + "') THEN "
                        + "EXECUTE 'DROP OWNED BY " + LIMITED + " CASCADE'; EXECUTE 'DROP ROLE " + LIMITED + "'; END IF; END $$");
                sql.execute("CREATE ROLE " + LIMITED + " LOGIN");
                sql.execute("GRANT USAGE ON SCHEMA public TO " + LIMITED);
                sql.execute("GRANT SELECT ON rights_job TO " + LIMITED);
            } else {
                sql.execute("DROP USER IF EXISTS '" + LIMITED + "'@'%'");
                sql.execute("CREATE USER '" + LIMITED + "'@'%'");
                String database = admin.getCatalog();
                sql.execute("GRANT ALL ON " + database + ".* TO '" + LIMITED + "'@'%'");
                sql.execute("REVOKE TRIGGER ON " + database + ".* FROM '" + LIMITED + "'@'%'");
            }
        }
    }

    @AfterAll
    static void dropThem() throws SQLException {
        try (Connection admin = admin(); Statement sql = admin.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS rights_job");
            if (ExternalWriter.postgresql()) {
                sql.execute("DROP OWNED BY " + LIMITED + " CASCADE");
                sql.execute("DROP ROLE " + LIMITED);
            } else {
                sql.execute("DROP USER IF EXISTS '" + LIMITED + "'@'%'");
            }
        }
    }

    @Test
    void withoutTheTriggerRightNothingIsInstalledAndTheMessageSaysWhatToGrant() throws SQLException {
        try (Connection limited = DriverManager.getConnection(ExternalWriter.databaseUrl(), LIMITED, "")) {
            SourceDialect dialect = SourceDialect.of(limited.getMetaData().getDatabaseProductName());
            String problem;
            if (ExternalWriter.postgresql()) {
                // PostgreSQL tells the rights before anything is tried.
                problem = assertThrows(Source.Invalid.class, () -> dialect.resolve(limited, SOURCE)).getMessage();
            } else {
                // MariaDB refuses the CREATE TRIGGER; Sources turns the refusal into the same kind of message.
                SourceDialect.Resolved resolved = dialect.resolve(limited, SOURCE);
                SQLException refused = assertThrows(SQLException.class, () -> dialect.install(limited, resolved));
                problem = Sources.denied(refused);
                assertTrue(problem != null && problem.contains("TRIGGER"), String.valueOf(problem));
                problem = "TRIGGER: " + problem + " " + Sources.grantAdvice(SOURCE);
            }
            assertTrue(problem.contains("TRIGGER") && problem.contains("GRANT SELECT, TRIGGER ON"), problem);
        }
        assertEquals(0, triggersOnTheTable(), "nothing installed on rights_job");
        try (Connection admin = admin(); Statement sql = admin.createStatement()) {
            boolean ownTables;
            try (ResultSet tables = admin.getMetaData().getTables(admin.getCatalog(), null, "task", null)) {
                ownTables = tables.next();
            }
            if (ownTables) { // when another IT's server created them in this database
                try (ResultSet mirrored = sql.executeQuery("SELECT COUNT(*) FROM task WHERE source = 'rights'")) {
                    mirrored.next();
                    assertEquals(0, mirrored.getInt(1), "no task mirrors a row of the refused source");
                }
            }
        }
    }

    private static int triggersOnTheTable() throws SQLException {
        try (Connection admin = admin(); PreparedStatement count = admin.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.triggers WHERE event_object_table = 'rights_job'");
             ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(ExternalWriter.databaseUrl(), ExternalWriter.databaseUser(), "");
    }
}
