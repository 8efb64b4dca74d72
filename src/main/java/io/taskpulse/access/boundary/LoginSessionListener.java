package io.taskpulse.access.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionIdListener;
import jakarta.servlet.http.HttpSessionListener;

/**
 * An HTTP session ended (logout, invalidation, timeout): the sockets opened under its login are closed. Its id
 * changed: they follow it.
 */
@WebListener
public class LoginSessionListener implements HttpSessionListener, HttpSessionIdListener {

    @Inject
    LoginSockets sockets;

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        sockets.loginEnded(event.getSession().getId());
    }

    @Override
    public void sessionIdChanged(HttpSessionEvent event, String oldSessionId) {
        sockets.loginRenamed(oldSessionId, event.getSession().getId());
    }
}
