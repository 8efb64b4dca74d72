package io.taskpulse.tasks.boundary;

import io.taskpulse.configuration.ConnectionFailure;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The last line. A database that cannot be reached is no bug: 503 with Retry-After, so a script retries later.
 * Retrying is safe: a status report is idempotent, and a create whose commit did reach the database (the
 * connection broke only after) answers 409 the second time. Anything else is the server's fault, logged
 * in full here and told to the client as an incident number only.
 * <p>
 * Mapped here, by cause, rather than by exception class: the servers wrap the driver's failure differently
 * (EclipseLink's PersistenceException, JTA's TransactionalException, the pool's allocation failure).
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    /** Seconds a script should wait before retrying: a few of the poller's attempts, a blink for an operator. */
    static final int RETRY_AFTER_SECONDS = 5;
    /** A lock that timed out is free again by now. */
    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());
    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9a-fA-F]{2})");

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable failure) {
        if (ConnectionFailure.busy(failure)) {
            // Rolled back whole by the database (a lock wait timed out, a deadlock was broken): a retry is safe.
            LOG.log(Level.WARNING, "Request rolled back by the database, client told to retry: {0}", rootOf(failure));
            boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
            return Response.fromResponse(Problems.of(503, read
                    ? "the database was busy; retry in " + BUSY_RETRY_AFTER_SECONDS + " s"
                    : "the database was busy and rolled the change back; nothing was written, retry in "
                            + BUSY_RETRY_AFTER_SECONDS + " s")).header("Retry-After", BUSY_RETRY_AFTER_SECONDS).build();
        }
        if (statusFor(failure) == 503) {
            // The poller logs the outage once; a line per refused request would flood the log.
            LOG.log(Level.FINE, "Request refused, database unavailable: {0}", failure.toString());
            return Response.fromResponse(Problems.of(503, "the database is unavailable; retry in "
                    + RETRY_AFTER_SECONDS + " s")).header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
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

    /** 503 when the database could not be reached or rolled back for a lock, 500 for everything else. */
    static int statusFor(Throwable failure) {
        return ConnectionFailure.in(failure) || ConnectionFailure.busy(failure) ? 503 : 500;
    }

    private static String rootOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
