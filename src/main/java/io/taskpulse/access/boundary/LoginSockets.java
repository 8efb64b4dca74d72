package io.taskpulse.access.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.CloseReason;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSockets opened under each login's HTTP session, so that logging out (or the session timing out) closes
 * every one of them with 1008, as Jakarta WebSocket (7.2) asks of the container. Containers do it only in part:
 * Tyrus (Payara 6) keeps one socket per HTTP session and so leaves all but the newest open when a page is open in
 * two tabs; Tomcat (TomEE) closes them all. This registry closes them all everywhere; closing an already closed
 * socket is harmless.
 * <p>
 * An endpoint takes part by naming {@link Capture} (or a subclass) as its configurator and calling {@link #opened} and
 * {@link #closed}; {@link LoginSessionListener} calls {@link #loginEnded}.
 */
@ApplicationScoped
public class LoginSockets {

    static final String HTTP_SESSION = "io.taskpulse.access.httpSession";

    private static final Logger LOG = Logger.getLogger(LoginSockets.class.getName());

    private final ConcurrentMap<String, Set<Session>> byHttpSession = new ConcurrentHashMap<>();

    /** Remembers a socket whose handshake carried a login (see {@link Capture}); others are not tied to one. */
    public void opened(Session socket) {
        if (socket.getUserProperties().get(HTTP_SESSION) instanceof String httpSession) {
            byHttpSession.computeIfAbsent(httpSession, id -> ConcurrentHashMap.newKeySet()).add(socket);
        }
    }

    public void closed(Session socket) {
        if (socket.getUserProperties().get(HTTP_SESSION) instanceof String httpSession) {
            byHttpSession.computeIfPresent(httpSession, (id, sockets) -> {
                sockets.remove(socket);
                return sockets.isEmpty() ? null : sockets;
            });
        }
    }

    /**
     * The HTTP session got a new id (servers do that on login and logout, against session fixation): its sockets
     * follow, or logging out would miss them.
     */
    public void loginRenamed(String oldId, String newId) {
        Set<Session> sockets = byHttpSession.remove(oldId);
        if (sockets != null) {
            byHttpSession.merge(newId, sockets, (mine, theirs) -> {
                mine.addAll(theirs);
                return mine;
            });
            sockets.forEach(socket -> socket.getUserProperties().put(HTTP_SESSION, newId));
        }
    }

    /** The login's HTTP session ended: its sockets are closed with 1008 (policy violation), the code 7.2 names. */
    public void loginEnded(String httpSession) {
        Set<Session> sockets = byHttpSession.remove(httpSession);
        if (sockets == null) {
            return;
        }
        for (Session socket : sockets) {
            try {
                if (socket.isOpen()) {
                    socket.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "logged out"));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Closing WebSocket {0} after logout failed: {1}", new Object[]{socket.getId(), e.toString()});
            }
        }
    }

    int tracked() {
        return byHttpSession.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Notes the HTTP session of a handshake that carried a login in the socket's user properties (each connection
     * gets its own copy of them, on Tyrus and Tomcat alike). Endpoint instances are still created by the container's
     * default configurator, so CDI injection into the endpoint keeps working.
     */
    public static class Capture extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            if (request.getUserPrincipal() != null && request.getHttpSession() instanceof HttpSession httpSession) {
                config.getUserProperties().put(HTTP_SESSION, httpSession.getId());
            }
        }
    }
}
