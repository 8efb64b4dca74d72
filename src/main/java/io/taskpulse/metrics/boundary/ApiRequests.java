package io.taskpulse.metrics.boundary;

import io.taskpulse.metrics.control.Metrics;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Counts every {@code /api} response by status code. A servlet filter rather than a JAX-RS filter because it
 * sees the status the client gets, whoever set it: a resource, an exception mapper, a JAX-RS filter that
 * aborted, the runtime's own 404/415, or the polling servlet, whose long-polls end later on another thread.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class ApiRequests extends HttpFilter {

    @Inject
    Metrics metrics;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            metrics.responded(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            throw e;
        }
        if (!request.isAsyncStarted() || !countWhenComplete(request, response)) {
            metrics.responded(response.getStatus());
        }
    }

    /** @return false when the request completed meanwhile, so its status is final already */
    private boolean countWhenComplete(HttpServletRequest request, HttpServletResponse response) {
        try {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    metrics.responded(response.getStatus());
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    // the servlet answers; onComplete follows
                }

                @Override
                public void onError(AsyncEvent event) {
                    // the container completes it; onComplete follows
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    // not restarted
                }
            });
            return true;
        } catch (IllegalStateException completedMeanwhile) {
            return false;
        }
    }
}
