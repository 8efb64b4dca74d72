package io.taskpulse.access.boundary;

import io.taskpulse.access.control.AccessRules;
import io.taskpulse.configuration.Settings;
import io.taskpulse.page.boundary.SecurityHeaders;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses WebSocket handshakes from pages of other origins with 403, before any session exists. A servlet filter,
 * not a WebSocket configurator, because only here is the Host header at hand, on Tyrus and on Tomcat alike.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class OriginCheck extends HttpFilter {

    @Inject
    Settings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (AccessRules.originAllowed(request.getHeader("Origin"), request.getHeader("Host"), settings.websocketOrigins())) {
            chain.doFilter(request, response);
            return;
        }
        SecurityHeaders.apply(response);
        Problems.write(response, 403, "WebSocket from origin " + request.getHeader("Origin")
                + " refused; allow it with taskpulse.websocket.origins");
    }
}
