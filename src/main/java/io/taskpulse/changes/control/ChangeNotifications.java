package io.taskpulse.changes.control;

import io.taskpulse.configuration.Settings;
import io.taskpulse.configuration.TaskPulseDataSource;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * On PostgreSQL, wakes the poller the moment a change commits, whoever wrote it: the schema's trigger
 * (V3__change_notifications.sql) notifies {@value #CHANNEL} and this server LISTENs on it. A script's direct SQL
 * write then reaches clients in milliseconds instead of up to one poll interval later, and so does a write made
 * through another node.
 * <p>
 * An accelerator only: the poller still polls every interval, so a lost notification or a lost listening
 * connection costs latency, never a change. The connection is the server's own (not from the pool, which would
 * lose a slot for good), on a container-managed thread; waiting for notifications sends nothing to the database,
 * so listening costs no queries. When the connection fails it is opened again, after 1 s at
 * first, doubling up to 30 s, and the poller is woken for whatever was missed meanwhile. Derby has no such
 * mechanism: there the poll interval bounds the delay of SQL writes.
 */
@ApplicationScoped
public class ChangeNotifications {

    static final String CHANNEL = "taskpulse_changes";
    private static final Logger LOG = Logger.getLogger(ChangeNotifications.class.getName());
    /** How long one wait for notifications blocks; below the driver's socket timeout, so a wait never trips it. */
    private static final int WAIT_MILLIS = 10_000;
    private static final Duration RECONNECT_FIRST = Duration.ofSeconds(1);
    private static final Duration RECONNECT_AT_MOST_EVERY = Duration.ofSeconds(30);

    @Resource
    ManagedThreadFactory threads;

    @Inject
    ChangePoller poller;

    @Inject
    Settings settings;

    /** Unpooled: the listening connection is held for good, outside the pool. One instance: the settings are read once. */
    private final TaskPulseDataSource direct = new TaskPulseDataSource();
    private volatile boolean stopped;
    private volatile boolean live;
    private volatile Thread listener;
    private volatile Connection connection;

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (!settings.onPostgresql()) {
            return;
        }
        Thread thread = threads.newThread(this::listen);
        thread.setName("taskpulse-change-notifications");
        thread.setDaemon(true);
        listener = thread;
        thread.start();
    }

    private void listen() {
        Duration wait = RECONNECT_FIRST;
        boolean failedBefore = false;
        while (!stopped) {
            try (Connection listening = direct.getConnection()) {
                connection = listening;
                listening.setAutoCommit(true);
                try (Statement statement = listening.createStatement()) {
                    statement.execute("SET application_name = 'taskpulse-listener'");
                    statement.execute("LISTEN " + CHANNEL);
                }
                LOG.info(failedBefore ? "Listening for change notifications again" : "Listening for change notifications (" + CHANNEL + ")");
                wait = RECONNECT_FIRST;
                failedBefore = false;
                live = true;
                // Whatever committed while nobody listened.
                poller.wake();
                PGConnection notifications = listening.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] arrived = notifications.getNotifications(WAIT_MILLIS);
                    if (arrived != null && arrived.length > 0) {
                        poller.wake();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                if (!failedBefore) {
                    LOG.log(Level.WARNING, "Change notifications lost ({0}); polling alone until they are back", e.toString());
                }
                failedBefore = true;
            } finally {
                live = false;
                connection = null;
            }
            if (!pause(wait)) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(RECONNECT_AT_MOST_EVERY) > 0 ? RECONNECT_AT_MOST_EVERY : wait.multipliedBy(2);
        }
    }

    /**
     * Whether this server is notified of every commit right now: LISTEN succeeded on a connection that has not
     * failed since. While it is, the poller need not look at the database on every tick.
     */
    public boolean live() {
        return live;
    }

    /** A reconnect's backoff on this (dedicated) thread; false when the application stops meanwhile. */
    private boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
            return !stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        Connection open = connection;
        if (open != null) {
            try {
                open.close(); // ends a wait for notifications at once
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
