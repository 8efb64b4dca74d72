package io.taskpulse.configuration;

import org.eclipse.persistence.sessions.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * EclipseLink retries a read that failed for a lost connection 3 times, 5 s apart, by default: while the
 * database is down every request (and the poller) would hang for 15 s before failing. The pool checks each
 * connection before handing it out (see {@link Database}), so a retry has nothing left to fix: fail at once,
 * and let the API answer 503 and the poller back off. Named in persistence.xml. The interface is the one in
 * {@code sessions}: EclipseLink 5 (Payara 7) dropped the old {@code config.SessionCustomizer}.
 */
public class FailFast implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(0);
        }
    }
}
