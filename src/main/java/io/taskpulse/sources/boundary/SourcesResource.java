package io.taskpulse.sources.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.sources.control.Sources;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;

/**
 * {@code GET /api/sources}: each configured source table, installed or why not. {@code DELETE /api/sources/{name}}
 * (a write: the token) removes its triggers, functions and tasks at once; it comes back at the next start unless it
 * is taken out of the settings.
 */
@Path("sources")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SourcesResource {

    @Inject
    Sources sources;

    @GET
    public String list() {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (Sources.State state : sources.states()) {
            JsonObjectBuilder item = JSON.createObjectBuilder().add("name", state.name())
                    .add("state", state.installed() ? "INSTALLED" : state.problem() == null ? "UNINSTALLED" : "FAILED")
                    .add("since", state.at().toString());
            if (state.problem() != null) {
                item.add("problem", state.problem());
            }
            state.source().ifPresent(source -> item.add("table", state.table())
                    .add("writable", source.writable()));
            list.add(item);
        }
        return list.build().toString();
    }

    @DELETE
    @Path("{name}")
    public Response uninstall(@PathParam("name") String name) throws SQLException {
        if (!sources.uninstall(name)) {
            return Problems.of(404, "no source " + (name.length() > 64 ? name.substring(0, 64) + "…" : name)
                    + " is installed");
        }
        return Response.noContent().build();
    }
}
