package io.taskpulse.bench.baseline;

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
 * The write floor's database (see {@link WritesServlet}): TaskPulse's own PostgreSQL database when
 * {@code taskpulse.db.url} names one (through the benchmark's statement counter, as TaskPulse is), else an embedded
 * Derby database of its own, {@value #DERBY_URL} under {@code derby.system.home}: TaskPulse's embedded database
 * cannot be opened by a second WAR (each WAR has its own Derby engine; a database boots in one). Only opens
 * connections: the server pools them.
 * <p>
 * The engine of this WAR writes its log, statements included when the benchmark has them logged, to
 * {@value #DERBY_LOG} beside TaskPulse's {@code derby.stream.error.file}: two engines writing one file overwrite each
 * other's lines (the benchmark's first Derby run lost most of the floor's). Derby reads that setting when its engine
 * boots, so it is changed for this engine's first connection only, TaskPulse's engine having booted at deployment.
 */
public class WritesDataSource implements DataSource {

    static final String DERBY_URL = "jdbc:derby:bench-floor;create=true";
    static final String DERBY_LOG = "derby-floor.log";
    private static boolean booted;

    private PrintWriter logWriter;
    private int loginTimeout;

    static String url() {
        String url = System.getProperty("taskpulse.db.url", "");
        return url.isBlank() ? DERBY_URL : url;
    }

    static boolean derby() {
        return url().startsWith("jdbc:derby:");
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (!derby()) {
            return connect();
        }
        synchronized (WritesDataSource.class) {
            if (booted) {
                return connect();
            }
            String log = System.getProperty("derby.stream.error.file");
            if (log == null) {
                booted = true;
                return connect();
            }
            System.setProperty("derby.stream.error.file", java.nio.file.Path.of(log).resolveSibling(DERBY_LOG).toString());
            try {
                Connection connection = connect();
                booted = true;
                return connection;
            } finally {
                System.setProperty("derby.stream.error.file", log);
            }
        }
    }

    private Connection connect() throws SQLException {
        String url = url();
        Properties credentials = new Properties();
        credentials.setProperty("user", System.getProperty("taskpulse.db.user", "postgres"));
        for (Driver driver : ServiceLoader.load(Driver.class, WritesDataSource.class.getClassLoader())) {
            if (driver.acceptsURL(url)) {
                return driver.connect(url, credentials);
            }
        }
        throw new SQLException("no JDBC driver for " + url);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }
}
