package io.taskpulse.alerts.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.alerts.control.AlertSetup;
import io.taskpulse.alerts.entity.Rule;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Alert rules: {@code /api/rules}: which transitions of which tasks go to which channel. */
@Path("rules")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    @Inject
    AlertSetup setup;

    @Context
    UriInfo uri;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        Rule rule = setup.createRule(AlertJson.object(body));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(rule.getId())).build())
                .entity(AlertJson.rule(rule).build().toString()).build();
    }

    @GET
    public String list() {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        setup.rules().forEach(r -> array.add(AlertJson.rule(r)));
        return array.build().toString();
    }

    @GET
    @Path("{id: [0-9]{1,18}}")
    public String get(@PathParam("id") long id) {
        return AlertJson.rule(setup.rule(id)).build().toString();
    }

    @DELETE
    @Path("{id: [0-9]{1,18}}")
    public Response delete(@PathParam("id") long id) {
        setup.deleteRule(id);
        return Response.noContent().build();
    }
}
