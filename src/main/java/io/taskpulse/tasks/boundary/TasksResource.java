package io.taskpulse.tasks.boundary;

import io.taskpulse.tasks.control.TaskHistory;
import io.taskpulse.tasks.control.Tasks;
import io.taskpulse.tasks.control.WriteRetry;
import io.taskpulse.tasks.entity.HistoryEntry;
import io.taskpulse.tasks.entity.Status;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The scripts' API. A script knows its task by id or by name; every write is one transaction, run again (a few
 * times) when the database rolls it back for a deadlock or a lock timeout. The body is read before the first
 * attempt: a request's stream can be read only once.
 */
@Path("tasks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TasksResource {

    private static final Set<String> NEW_TASK_FIELDS = Set.of("name", "description");
    private static final Set<String> REPORT_FIELDS = Set.of("status", "message");

    @Inject
    Tasks tasks;

    @Inject
    TaskHistory history;

    @Inject
    WriteRetry retry;

    @Inject
    WriteTransaction transaction;

    @Context
    UriInfo uri;

    @Context
    HttpHeaders headers;

    @GET
    public List<Task> list(@QueryParam("status") String status) {
        Optional<Status> wanted = status == null || status.isBlank() ? Optional.empty() : Optional.of(status(status));
        return tasks.list(wanted);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        JsonBody json = jsonBody(body, NEW_TASK_FIELDS);
        Task task = write(() -> tasks.create(json.text("name"), json.text("description")));
        return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(task.getId())).build())
                .entity(task).build();
    }

    @GET
    @Path("{id: \\d+}")
    public Task get(@PathParam("id") long id) {
        return tasks.find(id);
    }

    @GET
    @Path("{id: \\d+}/history")
    public List<HistoryEntry> history(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("50") String limit) {
        return history.of(id, limit(limit));
    }

    @PUT
    @Path("{id: \\d+}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public Task report(@PathParam("id") long id, InputStream body) {
        JsonBody json = jsonBody(body, REPORT_FIELDS);
        Status status = requiredStatus(json);
        return write(() -> tasks.report(id, status, json.text("message")));
    }

    @DELETE
    @Path("{id: \\d+}")
    public Response delete(@PathParam("id") long id) {
        write(() -> {
            tasks.delete(id);
            return null;
        });
        return Response.noContent().build();
    }

    /*
     * The same three calls with the name in the query (by-name?name=...): Tomcat (TomEE) refuses an encoded
     * slash in a path, so a name with "/" in it can only travel there.
     */
    @GET
    @Path("by-name")
    public Task getByQueryName(@QueryParam("name") String name) {
        return tasks.getByName(requiredName(name));
    }

    @PUT
    @Path("by-name")
    @Consumes(MediaType.APPLICATION_JSON)
    public Task reportByQueryName(@QueryParam("name") String name, InputStream body) {
        return reportByName(requiredName(name), body);
    }

    @DELETE
    @Path("by-name")
    public Response deleteByQueryName(@QueryParam("name") String name) {
        return deleteByName(requiredName(name));
    }

    /** A name's history by query: not under by-name/, where "history" could be a task's name. */
    @GET
    @Path("history")
    public List<HistoryEntry> historyByQueryName(@QueryParam("name") String name,
                                                 @QueryParam("limit") @DefaultValue("50") String limit) {
        int entries = limit(limit);
        return history.ofName(requiredName(name), entries);
    }

    @GET
    @Path("by-name/{name}/history")
    public List<HistoryEntry> historyByName(@PathParam("name") String name,
                                            @QueryParam("limit") @DefaultValue("50") String limit) {
        return history.ofName(name, limit(limit));
    }

    @GET
    @Path("by-name/{name}")
    public Task getByName(@PathParam("name") String name) {
        return tasks.getByName(name);
    }

    @PUT
    @Path("by-name/{name}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    public Task reportByName(@PathParam("name") String name, InputStream body) {
        JsonBody json = jsonBody(body, REPORT_FIELDS);
        Status status = requiredStatus(json);
        return write(() -> tasks.reportByName(name, status, json.text("message")));
    }

    @DELETE
    @Path("by-name/{name}")
    public Response deleteByName(@PathParam("name") String name) {
        write(() -> {
            tasks.deleteByName(name);
            return null;
        });
        return Response.noContent().build();
    }

    /** One transaction per attempt; the retry stays outside it. */
    private <T> T write(Supplier<T> write) {
        return retry.call(() -> transaction.run(write));
    }

    /**
     * @Consumes lets a request without any Content-Type through, and CXF (TomEE) also lets "json" or "application"
     * through as if they were application/json: a script must say exactly what it sends (parameters such as
     * charset may follow).
     */
    private JsonBody jsonBody(InputStream body, Set<String> allowedFields) {
        MediaType type;
        try {
            type = headers.getMediaType();
        } catch (RuntimeException unparsable) {
            type = null;
        }
        if (type == null || !"application".equalsIgnoreCase(type.getType()) || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw new NotSupportedException("Content-Type must be application/json");
        }
        return JsonBody.read(body, allowedFields);
    }

    private static String requiredName(String name) {
        if (name == null || name.isBlank()) {
            throw TaskRejected.invalid("query parameter name is required");
        }
        return name;
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text.strip());
            if (limit >= 1 && limit <= TaskHistory.MAX_ENTRIES) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // same answer as out of range
        }
        throw TaskRejected.invalid("limit must be a whole number from 1 to " + TaskHistory.MAX_ENTRIES);
    }

    private static Status requiredStatus(JsonBody json) {
        String status = json.text("status");
        if (status == null) {
            throw TaskRejected.invalid("status is required; one of " + Status.names());
        }
        return status(status);
    }

    private static Status status(String text) {
        return Status.parse(text).orElseThrow(() ->
                TaskRejected.invalid("unknown status " + TaskRejected.quote(text) + "; one of " + Status.names()));
    }
}
