package io.taskpulse.it;

import io.taskpulse.access.boundary.LoginSockets;
import jakarta.inject.Inject;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;

/**
 * Test-only: an endpoint wired to {@link LoginSockets} the way /ws/tasks is meant to be (configurator, opened, closed),
 * so that ViewerAccessIT can show that logging out closes every socket of that login, whatever the container does.
 * It says who it sees, then stays silent.
 */
@ServerEndpoint(value = "/ws/it-login-bound", configurator = LoginSockets.Capture.class)
public class LoginBoundSocket {

    @Inject
    LoginSockets logins;

    @OnOpen
    public void open(Session session) throws IOException {
        logins.opened(session);
        String user = session.getUserPrincipal() == null ? "" : session.getUserPrincipal().getName();
        Object httpSession = session.getUserProperties().get("io.taskpulse.access.httpSession");
        session.getBasicRemote().sendText(jakarta.json.Json.createObjectBuilder().add("type", "hello").add("user", user)
                .add("httpSession", String.valueOf(httpSession)).build().toString());
    }

    @OnClose
    public void closed(Session session) {
        logins.closed(session);
    }
}
