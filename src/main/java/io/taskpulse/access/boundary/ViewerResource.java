package io.taskpulse.access.boundary;

import io.taskpulse.configuration.Settings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /api/viewer}: {"restricted":true,"user":"alice"} when reading needs a login, {"restricted":false}
 * otherwise. The page asks it to show who is logged in, and to keep the login's HTTP session alive while it is open.
 */
@Path("viewer")
@RequestScoped
public class ViewerResource {

    @Inject
    Settings settings;

    @Context
    SecurityContext security;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response viewer() {
        boolean restricted = settings.readRole().isPresent();
        JsonObjectBuilder viewer = Json.createObjectBuilder().add("restricted", restricted);
        if (restricted && security.getUserPrincipal() != null) {
            viewer.add("user", security.getUserPrincipal().getName());
        }
        // A string: the same bytes on every server, whatever JSON provider it has.
        return Response.ok(viewer.build().toString()).header("Cache-Control", "no-store").build();
    }
}
