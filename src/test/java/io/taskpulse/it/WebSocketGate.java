package io.taskpulse.it;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Test-only: refuses WebSocket handshakes while closed, as a proxy that blocks upgrades would, so that browser
 * tests can watch the page fall back to polling and come back. {@code POST /it/ws-gate?open=false|true}.
 */
public final class WebSocketGate {

    private static volatile boolean open = true;

    private WebSocketGate() {
    }

    @WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
    public static class Refuser extends HttpFilter {
        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (!open) {
                response.sendError(503, "WebSocket refused by the test gate");
                return;
            }
            chain.doFilter(request, response);
        }
    }

    @WebServlet("/it/ws-gate")
    public static class Switch extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) {
            open = Boolean.parseBoolean(request.getParameter("open"));
            response.setStatus(204);
        }
    }
}
