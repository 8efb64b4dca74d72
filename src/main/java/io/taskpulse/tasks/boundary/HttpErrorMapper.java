package io.taskpulse.tasks.boundary;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Errors the REST runtime raises itself (unknown path, wrong method or content type) get a problem body too. */
@Provider
public class HttpErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        String detail;
        if (exception instanceof NotSupportedException) {
            detail = "Content-Type must be application/json";
        } else if (exception instanceof NotFoundException) {
            detail = "no such resource";
        } else if (exception instanceof NotAllowedException) {
            detail = "method not allowed here; allowed: " + String.join(", ", exception.getResponse().getAllowedMethods());
        } else if (status < 500 && exception.getMessage() != null && exception.getCause() == null) {
            detail = exception.getMessage();
        } else {
            detail = null;
        }
        Response problem = Problems.of(status, detail);
        if (exception instanceof NotAllowedException) {
            return Response.fromResponse(problem).allow(exception.getResponse().getAllowedMethods()).build();
        }
        return problem;
    }
}
