package io.taskpulse.tasks.boundary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.regex.Pattern;

/**
 * A query string with a broken %-escape ("?name=%zz") is the client's mistake: 400. CXF (TomEE) decodes every
 * parameter as soon as one is asked for and throws, which surfaced as a 500; Jersey silently drops the parameter.
 */
@Provider
@PreMatching
public class QueryEscapes implements ContainerRequestFilter {

    private static final Pattern BROKEN_ESCAPE = Pattern.compile("%(?![0-9a-fA-F]{2})");

    static final String DETAIL = "the query string has a % that does not start an escape like %2F";

    /** Jersey (Payara) reaches this filter; CXF throws before it, see {@link UnexpectedErrorMapper}. */
    @Override
    public void filter(ContainerRequestContext request) {
        if (broken(request.getUriInfo().getRequestUri().getRawQuery())) {
            request.abortWith(Problems.of(400, DETAIL));
        }
    }

    static boolean broken(String rawQuery) {
        return rawQuery != null && BROKEN_ESCAPE.matcher(rawQuery).find();
    }
}
