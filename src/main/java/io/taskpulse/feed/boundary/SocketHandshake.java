package io.taskpulse.feed.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the client's address to the WebSocket endpoint, which the WebSocket API does not expose (Tyrus and Tomcat
 * each hide it in their own classes). The handshake request gets one more query parameter, {@value #PEER},
 * holding {@code getRemoteAddr()}; a value the client sent itself is dropped, so it cannot pose as another address.
 * Both containers build the session's parameter map from the request this filter passes on.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class SocketHandshake extends HttpFilter {

    static final String PEER = "taskpulse.peer";

    private static final Logger LOG = Logger.getLogger(SocketHandshake.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(new WithPeer(request), response);
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

    /** The address the handshake came from, or null when the container did not pass the parameter on. */
    static String peer(Session session) {
        List<String> values = session.getRequestParameterMap().get(PEER);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /**
     * Holds only the address: the parameter map and query string are rebuilt on each call (the container asks a
     * few times, during the handshake). Tyrus keeps the handshake request, so this wrapper, for as long as the socket
     * is open; copies kept here would cost every open socket.
     */
    private static final class WithPeer extends HttpServletRequestWrapper {

        private final String peer;

        WithPeer(HttpServletRequest request) {
            super(request);
            peer = request.getRemoteAddr();
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            Map<String, String[]> copy = new LinkedHashMap<>(super.getParameterMap());
            copy.remove(PEER);
            copy.put(PEER, new String[]{peer});
            return Collections.unmodifiableMap(copy);
        }

        @Override
        public String getQueryString() {
            StringBuilder rebuilt = new StringBuilder();
            getParameterMap().forEach((name, values) -> {
                for (String value : values) {
                    rebuilt.append(rebuilt.isEmpty() ? "" : "&").append(encode(name)).append('=').append(encode(value));
                }
            });
            return rebuilt.toString();
        }

        private static String encode(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }

        @Override
        public String getParameter(String name) {
            String[] values = getParameterValues(name);
            return values == null ? null : values[0];
        }

        @Override
        public String[] getParameterValues(String name) {
            return PEER.equals(name) ? new String[]{peer} : super.getParameterValues(name);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }
    }
}
