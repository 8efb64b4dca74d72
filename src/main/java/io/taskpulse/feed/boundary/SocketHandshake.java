package io.taskpulse.feed.boundary;

import io.taskpulse.access.boundary.LoginSockets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the client's address to the WebSocket endpoint, which the WebSocket API does not expose (Tyrus and Tomcat
 * each hide it in their own classes). Both containers run the handshake, {@link Peer#modifyHandshake} included, on
 * the thread of the filter chain, inside this filter: the filter holds {@code getRemoteAddr()} for that thread, and
 * the configurator copies it into the connection's own user properties, where {@link TaskSocket} takes it out when
 * the socket opens. The client cannot set it.
 * <p>
 * Until 2026-12-07 the address travelled as an extra query parameter of a wrapped request, which every open socket
 * then kept with the wrapper, in its request-parameter map (a map entry, a list, a String[] and strings). Class
 * histograms of 1,000 idle sockets (bench/heap-probe) show about 190 B a socket less this way (issue 17's heap per
 * idle socket). Tyrus (Payara) still keeps the handshake's copy of the user properties, with this entry, for as long
 * as the connection is open: one map entry.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class SocketHandshake extends HttpFilter {

    static final String PEER = "io.taskpulse.feed.peer";

    private static final Logger LOG = Logger.getLogger(SocketHandshake.class.getName());
    private static final ThreadLocal<String> HANDSHAKE_PEER = new ThreadLocal<>();

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HANDSHAKE_PEER.set(request.getRemoteAddr());
        try {
            chain.doFilter(request, response);
        } finally {
            HANDSHAKE_PEER.remove();
        }
        int status = response.getStatus();
        if (status < 300 && status != HttpServletResponse.SC_SWITCHING_PROTOCOLS
                && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            // Neither upgraded nor refused: the client gets a plain answer to its handshake. Seen on Payara under
            // FeedChurnIT's churn (200, committed) before StaleWrites: a late write to a vanished client's recycled
            // response had committed this one. Logged so that it shows if it ever happens again.
            LOG.log(Level.WARNING, "WebSocket handshake from {0} answered {1} without an upgrade (committed: {2}, "
                    + "upgrade key: {3}, version: {4})", new Object[]{request.getRemoteAddr(), status,
                    response.isCommitted(), request.getHeader("Sec-WebSocket-Key") != null,
                    request.getHeader("Sec-WebSocket-Version")});
        }
    }

    /**
     * The address the handshake came from, taken out of the session's user properties (the endpoint keeps it in a
     * field), or null when the handshake did not pass this filter on the configurator's thread.
     */
    static String takePeer(Session session) {
        return session.getUserProperties().remove(PEER) instanceof String peer ? peer : null;
    }

    /** The endpoint's configurator: the login's HTTP session ({@link LoginSockets.Capture}) and the peer address. */
    public static class Peer extends LoginSockets.Capture {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            super.modifyHandshake(config, request, response);
            String peer = HANDSHAKE_PEER.get();
            if (peer != null) {
                config.getUserProperties().put(PEER, peer);
            }
        }
    }
}
