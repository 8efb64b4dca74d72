package io.taskpulse.alerts.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.alerts.control.AlertSetup;
import io.taskpulse.alerts.entity.Outcome;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Alert channels: {@code /api/channels}. Writes need the write token, like every write (see io.taskpulse.access). */
@Path("channels")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ChannelsResource {

    @Inject
    AlertSetup setup;

    @Context
    UriInfo uri;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        AlertSetup.Created created = setup.createChannel(AlertJson.object(body));
        JsonObjectBuilder json = AlertJson.channel(created.channel());
        if (created.generatedSecret() != null) {
            json.add("secret", created.generatedSecret());
        }
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.channel().getId())).build())
                .entity(json.build().toString()).build();
    }

    @GET
    public String list() {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        setup.channels().forEach(c -> array.add(AlertJson.channel(c)));
        return array.build().toString();
    }

    @GET
    @Path("{id: [0-9]{1,18}}")
    public String get(@PathParam("id") long id) {
        return AlertJson.channel(setup.channel(id)).build().toString();
    }

    @DELETE
    @Path("{id: [0-9]{1,18}}")
    public Response delete(@PathParam("id") long id) {
        setup.deleteChannel(id);
        return Response.noContent().build();
    }

    /** Sends a test alert now: 200 when the receiver confirmed it, 502 with what went wrong otherwise. */
    @POST
    @Path("{id: [0-9]{1,18}}/test")
    public Response test(@PathParam("id") long id) {
        Outcome outcome = setup.test(id);
        if (!outcome.confirmed()) {
            return Problems.of(502, "the test alert was not delivered: " + outcome.error());
        }
        JsonObjectBuilder json = JSON.createObjectBuilder().add("delivered", true);
        if (outcome.status() != 0) {
            json.add("status", outcome.status());
        }
        return Response.ok(json.build().toString()).build();
    }

    /** The channel's delivery log, newest first. */
    @GET
    @Path("{id: [0-9]{1,18}}/deliveries")
    public String deliveries(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("100") int limit) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        setup.deliveries(id, Math.max(1, Math.min(limit, 1000))).forEach(d -> array.add(AlertJson.delivery(d)));
        return array.build().toString();
    }
}
