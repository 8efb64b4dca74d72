package io.taskpulse.tasks.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/** The last line: the server's fault, logged in full here and told to the client as an incident number only. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9a-fA-F]{2})");

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable failure) {
        String query = request.getQueryString();
        if (query != null && BROKEN_ESCAPE.matcher(query).find()) {
            // CXF (TomEE) decodes every query parameter before any filter runs and throws on "%zz": the client's
            // mistake, not the server's. (Jersey drops such a parameter instead.)
            return Problems.of(400, "the query string has a % that does not start an escape like %2F");
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Request failed, incident " + incident, failure);
        return Problems.of(500, "internal error; the server logged it as incident " + incident);
    }
}
