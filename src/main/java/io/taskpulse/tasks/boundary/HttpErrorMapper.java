package io.taskpulse.tasks.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Errors the REST runtime raises itself (unknown path, wrong method or content type) get a problem body too.
 * They are told apart by status, not by exception class: Jersey (Payara) throws NotSupportedException for a
 * wrong Content-Type, CXF (TomEE) a plain WebApplicationException with status 415. A 404 names the path (from the
 * servlet request: both runtimes inject it into providers, and it is the path as sent, before any decoding).
 */
@Provider
public class HttpErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        Set<String> allowed = exception.getResponse().getAllowedMethods();
        String detail = switch (status) {
            case 415 -> isReport() ? "Content-Type must be application/json, or text/plain for a run's output"
                    : isPatch() ? "Content-Type must be " + TasksResource.MERGE_PATCH_JSON + " or application/json"
                    : "Content-Type must be application/json";
            case 404 -> NotFoundDetail.of(pathInApplication());
            case 405 -> allowed.isEmpty()
                    ? "method not allowed here"
                    : "method not allowed here; allowed: " + String.join(", ", allowed);
            default -> status < 500 && exception.getMessage() != null && exception.getCause() == null
                    ? exception.getMessage()
                    : null;
        };
        Response problem = Problems.of(status, detail);
        if (status == 405 && !allowed.isEmpty()) {
            return Response.fromResponse(problem).allow(allowed).build();
        }
        return problem;
    }

    private boolean isPatch() {
        return request != null && "PATCH".equals(request.getMethod());
    }

    /** A status report, which also takes a run's output as text/plain. */
    private boolean isReport() {
        String path = pathInApplication();
        return request != null && "PUT".equals(request.getMethod()) && path != null
                && (path.endsWith("/status") || path.endsWith("/tasks/by-name"));
    }

    private String pathInApplication() {
        String uri = request == null ? null : request.getRequestURI();
        String context = request == null ? "" : request.getContextPath();
        return uri != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }
}
