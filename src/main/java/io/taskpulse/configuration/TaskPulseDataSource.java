package io.taskpulse.configuration;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The class the server pools for {@code java:app/jdbc/taskpulse}. It connects to the database named at deploy
 * time, not at build time, so the same WAR runs on embedded Derby, PostgreSQL or MariaDB:
 * <ul>
 * <li>{@code taskpulse.db.url} (or {@code TASKPULSE_DB_URL}): a JDBC URL; default embedded Derby,
 * {@code jdbc:derby:taskpulse;create=true}, under {@code derby.system.home};</li>
 * <li>{@code taskpulse.db.user} / {@code taskpulse.db.password}: default {@code taskpulse} / none.</li>
 * </ul>
 * The driver is found among those the WAR ships (Derby, PostgreSQL, MariaDB) or the server provides. The server's
 * pool does the pooling; this class only opens connections.
 * <p>
 * On PostgreSQL it gives the driver timeouts, because its defaults wait forever for a server that stopped
 * answering (a cut cable, a black-holed host) and every pooled connection would end up pinned in a read that
 * never returns: connect {@value #CONNECT_TIMEOUT} s, login {@value #LOGIN_TIMEOUT} s, and a read that waits
 * more than {@value #SOCKET_TIMEOUT} s gives up and closes the connection (TaskPulse's statements take
 * milliseconds; the longest legitimate wait is a row lock held by another program's transaction). TCP
 * keep-alive is on. Parameters in the URL win, e.g. {@code ?socketTimeout=120}. MariaDB gets the same timeouts
 * (its driver counts milliseconds).
 * <p>
 * On MariaDB two settings are not defaults but rules, and win over the URL:
 * <ul>
 * <li>UTC. The schema keeps instants as DATETIME(6) in UTC (see schema/mariadb/V1). The driver turns a
 * {@code java.sql.Timestamp} into a date and time in its connection time zone, which is the JVM's unless told
 * otherwise: a server started with another {@code user.timezone} would write and read every time shifted (MariaDbSchemaIT
 * saw 10:30 stored for 01:30 UTC from a JVM in Tokyo). So the connection time zone is UTC, the driver converts
 * instants to it ({@code preserveInstants}, off by default: without it {@code connectionTimeZone} changes nothing
 * for a Timestamp), and the session's {@code time_zone} is UTC too, so that NOW() inside TaskPulse's own statements
 * agrees (the triggers use UTC_TIMESTAMP, which no session setting moves).</li>
 * <li>READ COMMITTED, PostgreSQL's default, where InnoDB's is REPEATABLE READ: each statement sees what committed
 * before it started, which is what the feed's reasoning (io.taskpulse.changes) assumes of a database; and InnoDB
 * takes no gap locks at READ COMMITTED, so the range UPDATEs of the deadline checks do not block inserts of new
 * tasks (fewer lock waits and deadlocks).</li>
 * </ul>
 */
public class TaskPulseDataSource implements DataSource {

    static final String DEFAULT_URL = "jdbc:derby:taskpulse;create=true";
    static final String DEFAULT_USER = "taskpulse";
    static final int CONNECT_TIMEOUT = 5;
    static final int LOGIN_TIMEOUT = 10;
    static final int SOCKET_TIMEOUT = 30;
    /**
     * Derby hands out identity values from a preallocated range and takes a lock on the column's sequence to get
     * the next range; with concurrent inserts that lock is contended and an insert can fail with 40XL1 ("a lock
     * could not be obtained", raised by Derby's SequenceUpdater). Ranges ten times the default (100) make that
     * ten times rarer. The cost: after an unclean stop, ids jump by up to this much.
     */
    static final String DERBY_IDENTITY_RANGE = "1000";
    /** See the class description: UTC on both ends of the connection, and READ COMMITTED. */
    static final String MARIADB_RULES = "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true"
            + "&transactionIsolation=READ-COMMITTED";

    private volatile Target target;
    private PrintWriter logWriter;
    private int loginTimeout;

    @Override
    public Connection getConnection() throws SQLException {
        return target().connect();
    }

    /** The pool may pass the user it was declared with; the configured database's own credentials win. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().connect();
    }

    /** Whether a JDBC URL names PostgreSQL. With {@link #mariadb}, the one place that decides it (else: Derby). */
    static boolean postgresql(String url) {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Whether a JDBC URL names MariaDB. */
    static boolean mariadb(String url) {
        return url.startsWith("jdbc:mariadb:");
    }

    private Target target() throws SQLException {
        Target current = target;
        if (current == null) {
            synchronized (this) {
                if (target == null) {
                    target = Target.configured();
                }
                current = target;
            }
        }
        return current;
    }

    /** A driver and what to hand it. */
    private record Target(Driver driver, String url, Properties credentials) {

        static Target configured() throws SQLException {
            String url = Settings.databaseUrl();
            Properties credentials = new Properties();
            if (url.startsWith("jdbc:derby:") && System.getProperty("derby.language.sequence.preallocator") == null) {
                // Read by Derby when it first generates a value, so it must be set before the first connection.
                System.setProperty("derby.language.sequence.preallocator", DERBY_IDENTITY_RANGE);
            }
            if (postgresql(url)) {
                // Defaults only: the driver lets parameters in the URL override these.
                credentials.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT));
                credentials.setProperty("loginTimeout", String.valueOf(LOGIN_TIMEOUT));
                credentials.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT));
                credentials.setProperty("tcpKeepAlive", "true");
            }
            if (mariadb(url)) {
                credentials.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT * 1000));
                credentials.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT * 1000));
                credentials.setProperty("tcpKeepAlive", "true");
            }
            credentials.setProperty("user", Settings.raw("taskpulse.db.user").orElse(DEFAULT_USER));
            Settings.raw("taskpulse.db.password").ifPresent(p -> credentials.setProperty("password", p));
            for (Driver driver : ServiceLoader.load(Driver.class, TaskPulseDataSource.class.getClassLoader())) {
                if (driver.acceptsURL(url)) {
                    Logger.getLogger(TaskPulseDataSource.class.getName())
                            .info(() -> "Database: " + withoutSecrets(url) + " as " + credentials.getProperty("user"));
                    return new Target(driver, url, credentials);
                }
            }
            throw new SQLException("no JDBC driver for " + withoutSecrets(url) + "; TaskPulse ships Derby, PostgreSQL and MariaDB",
                    "08001");
        }

        Connection connect() throws SQLException {
            Connection connection = driver.connect(mariadb(url) ? mariaDbUrl(url) : url, credentials);
            if (connection == null) {
                throw new SQLException("driver refused " + withoutSecrets(url), "08001");
            }
            return connection;
        }

        /**
         * The URL with MariaDB's rules appended (see the class description). The driver reads a repeated parameter's
         * last value, so these win over the same ones given in the configured URL.
         */
        static String mariaDbUrl(String url) {
            return url + (url.contains("?") ? "&" : "?") + MARIADB_RULES;
        }

        static String withoutSecrets(String url) {
            return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("java.util.logging parent logger not supported");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
