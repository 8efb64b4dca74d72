package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * "Another program" that writes the task table with plain SQL, bypassing TaskPulse, optionally holding its
 * transaction open before it commits. On PostgreSQL and MariaDB it is really another program: a JDBC connection
 * from this test JVM, with the driver's defaults (on MariaDB: the server's REPEATABLE READ and its own session time
 * zone, not TaskPulse's settings). Embedded Derby admits no other process, so there it runs inside the server
 * (DirectSqlServlet).
 */
public final class ExternalWriter {

    private static final String URL = System.getProperty("it.db.url", "");
    private static final String USER = System.getProperty("it.db.user", "");

    private ExternalWriter() {
    }

    /** Whether the ITs' database is a server other programs reach too (PostgreSQL, MariaDB), not embedded Derby. */
    public static boolean sharedDatabase() {
        return postgresql() || mariadb();
    }

    /** PostgreSQL: the one database that notifies servers of changes (LISTEN/NOTIFY). */
    public static boolean postgresql() {
        return URL.startsWith("jdbc:postgresql:");
    }

    public static boolean mariadb() {
        return URL.startsWith("jdbc:mariadb:");
    }

    public static String databaseUrl() {
        return URL;
    }

    public static String databaseUser() {
        return USER;
    }

    /** Whether the database holds a task of that name, asked directly (PostgreSQL, MariaDB). */
    public static boolean taskExists(String name) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM task WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet count = select.executeQuery()) {
                count.next();
                return count.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ends every other session on the database, as a PostgreSQL shutting down does (SQLState 57P01): what a
     * server sees of a database restart, without stopping a PostgreSQL that others share. On MariaDB: KILL of every
     * other connection to the database.
     *
     * @return how many sessions were ended
     */
    public static int terminateOtherSessions() {
        if (mariadb()) {
            return killOtherMariaDbSessions();
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             // CASE fixes the order: with a plain AND, PostgreSQL may terminate this very session first.
             PreparedStatement terminate = connection.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() "
                     + "AND CASE WHEN pid = pg_backend_pid() THEN false ELSE pg_terminate_backend(pid) END");
             ResultSet ended = terminate.executeQuery()) {
            ended.next();
            return ended.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int killOtherMariaDbSessions() {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             PreparedStatement others = connection.prepareStatement("SELECT id FROM information_schema.processlist "
                     + "WHERE db = DATABASE() AND id <> CONNECTION_ID()");
             ResultSet ids = others.executeQuery()) {
            int ended = 0;
            while (ids.next()) {
                try (PreparedStatement kill = connection.prepareStatement("KILL CONNECTION " + ids.getLong(1))) {
                    kill.execute();
                    ended++;
                } catch (SQLException gone) {
                    // ended meanwhile (error 1094: unknown thread)
                }
            }
            return ended;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many TaskPulse servers LISTEN for change notifications on this database right now (PostgreSQL only). */
    public static int listeners() {
        return countOrEnd("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                + "AND application_name = 'taskpulse-listener'");
    }

    /** Ends the sessions that LISTEN for change notifications, as a network fault or a DBA would. */
    public static int terminateListeners() {
        return countOrEnd("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                // CASE fixes the order: with a plain AND, PostgreSQL may terminate sessions before filtering them.
                + "AND CASE WHEN application_name = 'taskpulse-listener' THEN pg_terminate_backend(pid) ELSE false END");
    }

    private static int countOrEnd(String sql) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet count = select.executeQuery()) {
            count.next();
            return count.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One UPDATE of the named task with plain SQL, committed at once (PostgreSQL, MariaDB): {@code set} is its SET list. */
    public static void update(String name, String set) {
        try (Connection connection = DriverManager.getConnection(URL, USER, "");
             PreparedStatement update = connection.prepareStatement("UPDATE task SET " + set + " WHERE name = ?")) {
            update.setString(1, name);
            assertEquals(1, update.executeUpdate(), "no task " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void report(Api api, String name, String status, String message, long holdMillis) {
        if (!sharedDatabase()) {
            api.sqlReport(name, status, message, holdMillis);
            return;
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, "")) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE task SET status = ?, status_message = ? WHERE name = ?")) {
                update.setString(1, status);
                update.setString(2, message);
                update.setString(3, name);
                assertEquals(1, update.executeUpdate(), "no task " + name);
            }
            if (holdMillis > 0) {
                // The workload itself: a script that keeps its transaction open, committing late.
                Thread.sleep(holdMillis);
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
