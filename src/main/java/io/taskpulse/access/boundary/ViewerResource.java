package io.taskpulse.access.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.configuration.Settings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /api/viewer}: {"restricted":true,"operators":false,"user":"alice","operator":false} when reading
 * needs a login, {"restricted":false,"operators":false} otherwise; {@code operators} says that the server has an
 * operators' role (the page then offers a sign-in), {@code operator} whether the logged-in user has it (the page then
 * shows the acknowledge and pause actions). The page asks it to show who is logged in, and to keep the login's HTTP session alive while it is open.
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
        var operateRole = settings.operateRole();
        JsonObjectBuilder viewer = JSON.createObjectBuilder().add("restricted", restricted)
                .add("operators", operateRole.isPresent());
        if (security.getUserPrincipal() != null) {
            viewer.add("user", security.getUserPrincipal().getName())
                    .add("operator", operateRole.isPresent() && security.isUserInRole(operateRole.get()));
        }
        // A string: the same bytes on every server, whatever JSON provider it has.
        return Response.ok(viewer.build().toString()).header("Cache-Control", "no-store").build();
    }
}
