package io.taskpulse.page.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every response. 'self' in connect-src covers the page's own WebSocket (ws/wss on the same
 * host and port) and the polling feed.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!webSocketHandshake(request)) {
            apply(response);
        }
        chain.doFilter(request, response);
    }

    /**
     * A WebSocket handshake that succeeds is answered with 101 and no document, so these headers would protect
     * nothing there; and Payara (Grizzly) keeps the handshake's response for as long as the socket is open, where
     * they cost about 1 KB per socket. A filter that refuses a handshake with a problem body applies them itself.
     */
    private static boolean webSocketHandshake(HttpServletRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /**
     * For a filter that answers before this one may have run (the order of annotated filters is up to the server),
     * e.g. io.taskpulse.access's, which hands a request to the container's login page.
     */
    public static void apply(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
    }
}
