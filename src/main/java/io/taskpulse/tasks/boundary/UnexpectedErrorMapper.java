package io.taskpulse.tasks.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The last line: the server's fault, logged in full here and told to the client as an incident number only. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable failure) {
        if (QueryEscapes.broken(request.getQueryString())) {
            // CXF decodes every query parameter before any filter runs, and throws on "%zz": the client's mistake.
            return Problems.of(400, QueryEscapes.DETAIL);
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Request failed, incident " + incident, failure);
        return Problems.of(500, "internal error; the server logged it as incident " + incident);
    }
}
