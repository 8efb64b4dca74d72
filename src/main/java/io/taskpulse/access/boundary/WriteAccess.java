package io.taskpulse.access.boundary;

import io.taskpulse.access.control.AccessRules;
import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/** Guards every write of the REST API (see io.taskpulse.access). A CDI bean, so that Settings can be injected. */
@Provider
@ApplicationScoped
public class WriteAccess implements ContainerRequestFilter {

    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    @Inject
    Settings settings;

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext context) {
        if (READS.contains(context.getMethod())) {
            return;
        }
        String origin = context.getHeaderString("Origin");
        if (origin != null && !origin.isBlank()
                && !AccessRules.originAllowed(origin, context.getHeaderString("Host"), settings.websocketOrigins())) {
            // A browser on this machine would otherwise let any site's form write (loopback needs no token), and a
            // form may post an empty body, which needs no CORS preflight.
            context.abortWith(Problems.of(403, "writes from another site's page are refused (Origin " + origin
                    + "); list it in taskpulse.websocket.origins if it is yours"));
            return;
        }
        var refused = AccessRules.write(settings.writeToken(), context.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getRemoteAddr());
        if (refused.isPresent() && operator(context)) {
            return;
        }
        refused.ifPresent(refusal -> context.abortWith(switch (refusal) {
                    case NO_TOKEN -> Response.fromResponse(Problems.of(401, "this server needs Authorization: Bearer <token> for writes"))
                            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"taskpulse\"").build();
                    case WRONG_TOKEN -> Response.fromResponse(Problems.of(401, "wrong token"))
                            .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"taskpulse\", error=\"invalid_token\"").build();
                    case NOT_LOCAL -> Problems.of(403,
                            "writes are accepted from this machine only, unless the server sets taskpulse.write.token");
                }));
    }

    private boolean operator(ContainerRequestContext context) {
        var role = settings.operateRole();
        String path = "/api/" + context.getUriInfo().getPath();
        return role.isPresent() && request.getUserPrincipal() != null
                && AccessRules.operatorMay(role, request.isUserInRole(role.get()), context.getMethod(), path.replace("//", "/"),
                        context.getHeaderString("Origin"), context.getHeaderString("Host"), settings.websocketOrigins());
    }
}
