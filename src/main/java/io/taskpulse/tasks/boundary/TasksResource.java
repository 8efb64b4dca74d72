package io.taskpulse.tasks.boundary;

import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.control.TaskHistory;
import io.taskpulse.tasks.control.TaskRuns;
import io.taskpulse.tasks.control.Tasks;
import io.taskpulse.tasks.control.WriteRetry;
import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.HistoryEntry;
import io.taskpulse.tasks.entity.Run;
import io.taskpulse.tasks.entity.RunOutput;
import io.taskpulse.tasks.entity.RunView;
import io.taskpulse.tasks.entity.Schedule;
import java.time.Duration;
import io.taskpulse.tasks.entity.Status;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
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

    private static final Set<String> NEW_TASK_FIELDS = Set.of("name", "description", "schedule", "timeZone", "grace",
            "maxRuntime");
    private static final Set<String> SCHEDULE_FIELDS = Set.of("schedule", "timeZone", "grace", "maxRuntime");
    private static final Set<String> REPORT_FIELDS = Set.of("status", "message", "exitCode", "runId", "durationMs", "output");
    private static final Set<String> REPORT_NUMBERS = Set.of("exitCode", "durationMs");
    private static final Set<String> START_FIELDS = Set.of("runId");
    private static final Jsonb JSONB = JsonbBuilder.create();

    @Inject
    Tasks tasks;

    @Inject
    TaskHistory history;

    @Inject
    TaskRuns runs;

    @Inject
    Settings settings;

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
        Schedule schedule = json.text("schedule") == null ? null
                : Schedule.of(json.text("schedule"), json.text("timeZone"), json.text("grace"));
        Duration maxRuntime = Schedule.maxRuntime(json.text("maxRuntime"));
        if (schedule == null && (json.text("timeZone") != null || json.text("grace") != null)) {
            throw TaskRejected.invalid("timeZone and grace belong to a schedule; send schedule too");
        }
        Task task = write(() -> {
            Task created = tasks.create(json.text("name"), json.text("description"));
            return schedule == null && maxRuntime == null ? created : tasks.schedule(created, schedule, maxRuntime);
        });
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
    public JsonObject report(@PathParam("id") long id, InputStream body) {
        return end(Ref.of(id), jsonEnding(body));
    }

    /** The same report with the run's output as the body ({@code curl --data-binary @log}), the rest in the query. */
    @PUT
    @Path("{id: \\d+}/status")
    @Consumes(MediaType.TEXT_PLAIN)
    public JsonObject reportWithOutput(@PathParam("id") long id, InputStream body) {
        return end(Ref.of(id), plainEnding(body));
    }

    @POST
    @Path("{id: \\d+}/start")
    public JsonObject start(@PathParam("id") long id, InputStream body) {
        return start(Ref.of(id), body);
    }

    @GET
    @Path("{id: \\d+}/runs")
    public List<RunView> runs(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("20") String limit,
                              @QueryParam("before") String before) {
        return runs(Ref.of(id), limit, before);
    }

    @PUT
    @Path("{id: \\d+}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    public Task schedule(@PathParam("id") long id, InputStream body) {
        return schedule(Ref.of(id), body);
    }

    @DELETE
    @Path("{id: \\d+}/schedule")
    public Task unschedule(@PathParam("id") long id) {
        return unschedule(Ref.of(id));
    }

    @GET
    @Path("{id: \\d+}/runs/{runId}/output")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    public Response output(@PathParam("id") long id, @PathParam("runId") String runId) {
        return output(Ref.of(id), runId);
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
    public JsonObject reportByQueryName(@QueryParam("name") String name, InputStream body) {
        return reportByName(requiredName(name), body);
    }

    @PUT
    @Path("by-name")
    @Consumes(MediaType.TEXT_PLAIN)
    public JsonObject reportWithOutputByQueryName(@QueryParam("name") String name, InputStream body) {
        return reportWithOutputByName(requiredName(name), body);
    }

    /** Start, runs and output by query: not under by-name/, where "start" or "runs" could be a task's name. */
    @POST
    @Path("start")
    public JsonObject startByQueryName(@QueryParam("name") String name, InputStream body) {
        return start(Ref.of(requiredName(name)), body);
    }

    @GET
    @Path("runs")
    public List<RunView> runsByQueryName(@QueryParam("name") String name,
                                         @QueryParam("limit") @DefaultValue("20") String limit,
                                         @QueryParam("before") String before) {
        return runs(Ref.of(requiredName(name)), limit, before);
    }

    @PUT
    @Path("schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    public Task scheduleByQueryName(@QueryParam("name") String name, InputStream body) {
        return schedule(Ref.of(requiredName(name)), body);
    }

    @DELETE
    @Path("schedule")
    public Task unscheduleByQueryName(@QueryParam("name") String name) {
        return unschedule(Ref.of(requiredName(name)));
    }

    @GET
    @Path("output")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    public Response outputByQueryName(@QueryParam("name") String name, @QueryParam("runId") String runId) {
        if (runId == null || runId.isBlank()) {
            throw TaskRejected.invalid("query parameter runId is required");
        }
        return output(Ref.of(requiredName(name)), runId);
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
    public JsonObject reportByName(@PathParam("name") String name, InputStream body) {
        return end(Ref.of(name), jsonEnding(body));
    }

    @PUT
    @Path("by-name/{name}/status")
    @Consumes(MediaType.TEXT_PLAIN)
    public JsonObject reportWithOutputByName(@PathParam("name") String name, InputStream body) {
        return end(Ref.of(name), plainEnding(body));
    }

    @POST
    @Path("by-name/{name}/start")
    public JsonObject startByName(@PathParam("name") String name, InputStream body) {
        return start(Ref.of(name), body);
    }

    @GET
    @Path("by-name/{name}/runs")
    public List<RunView> runsByName(@PathParam("name") String name,
                                    @QueryParam("limit") @DefaultValue("20") String limit,
                                    @QueryParam("before") String before) {
        return runs(Ref.of(name), limit, before);
    }

    @PUT
    @Path("by-name/{name}/schedule")
    @Consumes(MediaType.APPLICATION_JSON)
    public Task scheduleByName(@PathParam("name") String name, InputStream body) {
        return schedule(Ref.of(name), body);
    }

    @DELETE
    @Path("by-name/{name}/schedule")
    public Task unscheduleByName(@PathParam("name") String name) {
        return unschedule(Ref.of(name));
    }

    @GET
    @Path("by-name/{name}/runs/{runId}/output")
    @Produces(MediaType.TEXT_PLAIN + ";charset=UTF-8")
    public Response outputByName(@PathParam("name") String name, @PathParam("runId") String runId) {
        return output(Ref.of(name), runId);
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

    /** A task as a request names it: by id, or by name. */
    private record Ref(Long id, String name) {
        static Ref of(long id) {
            return new Ref(id, null);
        }

        static Ref of(String name) {
            return new Ref(null, name);
        }
    }

    /**
     * The task, in the caller's transaction; with {@code ?create=true} a name that does not exist yet is created
     * (auto-create on first contact, opt-in per request: a typo must not make a task unasked).
     */
    private Task find(Ref ref, boolean create) {
        if (ref.id() != null) {
            return tasks.find(ref.id());
        }
        Optional<Task> found = tasks.findByName(ref.name());
        if (found.isPresent()) {
            return found.get();
        }
        if (!create) {
            throw TaskRejected.notFound("no task named " + TaskRejected.quote(ref.name().strip())
                    + "; add ?create=true to create it with this report");
        }
        return tasks.create(ref.name(), null);
    }

    private boolean createRequested() {
        String create = uri.getQueryParameters().getFirst("create");
        if (create == null || create.isBlank() || create.equals("false")) {
            return false;
        }
        if (create.equals("true")) {
            return true;
        }
        throw TaskRejected.invalid("create must be true or false");
    }

    /** Two first contacts of one new name at once: one creates it, the other finds it on its second attempt. */
    private <T> T writeCreating(Supplier<T> write) {
        try {
            return write(write);
        } catch (TaskRejected e) {
            if (e.reason() == TaskRejected.Reason.DUPLICATE && createRequested()) {
                return write(write);
            }
            throw e;
        }
    }

    /**
     * Replaces the task's schedule and maxRuntime with what the body says ({@code schedule} with its {@code timeZone}
     * and {@code grace}, {@code maxRuntime}); a field left out is removed. At least one of the two is required.
     */
    private Task schedule(Ref ref, InputStream body) {
        JsonBody json = jsonBody(body, SCHEDULE_FIELDS);
        if (json.text("schedule") == null && (json.text("timeZone") != null || json.text("grace") != null)) {
            throw TaskRejected.invalid("timeZone and grace belong to a schedule; send schedule too");
        }
        if (json.text("schedule") == null && json.text("maxRuntime") == null) {
            throw TaskRejected.invalid("schedule or maxRuntime is required (DELETE …/schedule removes both)");
        }
        Schedule schedule = json.text("schedule") == null ? null
                : Schedule.of(json.text("schedule"), json.text("timeZone"), json.text("grace"));
        Duration maxRuntime = Schedule.maxRuntime(json.text("maxRuntime"));
        return write(() -> tasks.schedule(find(ref, false), schedule, maxRuntime));
    }

    private Task unschedule(Ref ref) {
        return write(() -> tasks.schedule(find(ref, false), null, null));
    }

    private JsonObject start(Ref ref, InputStream body) {
        String runId = uri.getQueryParameters().getFirst("runId");
        if (headers.getLength() != 0 && headers.getMediaType() != null) {
            String fromBody = jsonBody(body, START_FIELDS).text("runId");
            if (fromBody != null && runId != null && !fromBody.equals(runId)) {
                throw TaskRejected.invalid("runId differs between the query and the body");
            }
            runId = fromBody != null ? fromBody : runId;
        }
        String wanted = runId;
        boolean create = createRequested();
        Task task = writeCreating(() -> runs.start(find(ref, create), wanted));
        return json(task).build();
    }

    private JsonObject end(Ref ref, Ending ending) {
        boolean create = createRequested();
        TaskRuns.Ended ended = writeCreating(() -> runs.end(find(ref, create), ending));
        JsonObjectBuilder run = Json.createObjectBuilder().add("id", ended.run().getId())
                .add("runId", ended.run().getRunId()).add("paired", ended.paired());
        Long duration = ended.run().durationMillis();
        if (duration != null) {
            run.add("durationMs", duration);
        }
        if (!ended.paired()) {
            run.add("note", ending.runId() == null
                    ? "no run was open: recorded as a run without a start" + (duration == null ? " (no duration)" : "")
                    : "no open run has runId " + TaskRejected.quote(ending.runId())
                            + ": recorded as a run without a start" + (duration == null ? " (no duration)" : ""));
        }
        if (ending.output() != null) {
            run.add("outputBytes", ending.output().receivedBytes()).add("outputCut", ending.output().cut());
            if (ending.output().cut()) {
                run.add("outputNote", "output is larger than " + settings.runOutputLimit()
                        + " bytes: its last part is kept");
            }
        }
        return json(ended.task()).add("run", run).build();
    }

    private Ending jsonEnding(InputStream body) {
        JsonBody json = JsonBody.read(mediaChecked(body), REPORT_FIELDS, REPORT_NUMBERS);
        String output = json.text("output");
        return new Ending(status(json.text("status"), json.text("status") != null), exitCode(json.wholeNumber("exitCode")),
                json.text("message"), json.text("runId"), json.wholeNumber("durationMs"),
                output == null ? null : OutputTail.of(output, settings.runOutputLimit()));
    }

    private Ending plainEnding(InputStream body) {
        var query = uri.getQueryParameters();
        Set<String> known = Set.of("status", "exitCode", "message", "runId", "durationMs", "outputBytes", "name", "create");
        for (String parameter : query.keySet()) {
            if (!known.contains(parameter)) {
                throw TaskRejected.invalid("unknown query parameter " + TaskRejected.quote(parameter) + "; allowed: "
                        + "status, exitCode, message, runId, durationMs, outputBytes, create");
            }
        }
        String status = query.getFirst("status");
        Long exitCode = number("exitCode", query.getFirst("exitCode"));
        Ending parsed = new Ending(status(status, status != null), exitCode(exitCode), query.getFirst("message"),
                query.getFirst("runId"), number("durationMs", query.getFirst("durationMs")), null);
        Long outputBytes = number("outputBytes", query.getFirst("outputBytes"));
        RunOutput output = OutputTail.read(body, settings.runOutputLimit());
        if (outputBytes != null) {
            // The script sent the tail of a longer output (taskpulse-run does): the whole was this long.
            if (outputBytes < output.receivedBytes()) {
                throw TaskRejected.invalid("outputBytes is less than the output sent (" + output.receivedBytes() + " bytes)");
            }
            output = new RunOutput(output.text(), outputBytes, output.cut() || outputBytes > output.receivedBytes());
        }
        return new Ending(parsed.status(), parsed.exitCode(), parsed.message(), parsed.runId(), parsed.durationMillis(),
                output);
    }

    private List<RunView> runs(Ref ref, String limit, String before) {
        int entries = runLimit(limit);
        long cursor = before == null || before.isBlank() ? Long.MAX_VALUE : number("before", before);
        return runs.runs(find(ref, false), cursor, entries);
    }

    private Response output(Ref ref, String runId) {
        Run run = runs.run(find(ref, false), runId);
        return Response.ok(run.getOutput() == null ? "" : run.getOutput())
                .header("TaskPulse-Output-Cut", run.isOutputCut())
                .header("TaskPulse-Output-Bytes", run.getOutputBytes() == null ? 0 : run.getOutputBytes())
                .build();
    }

    private JsonObjectBuilder json(Task task) {
        return Json.createObjectBuilder(Json.createReader(new java.io.StringReader(JSONB.toJson(task))).readObject());
    }

    private static Integer exitCode(Long code) {
        if (code != null && (code < 0 || code > Ending.MAX_EXIT_CODE)) {
            throw TaskRejected.invalid("exitCode must be a whole number from 0 to " + Ending.MAX_EXIT_CODE);
        }
        return code == null ? null : code.intValue();
    }

    private static Long number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw TaskRejected.invalid(field + " must be a whole number");
        }
    }

    private static int runLimit(String text) {
        Long limit = number("limit", text);
        if (limit == null || limit < 1 || limit > TaskRuns.MAX_PAGE) {
            throw TaskRejected.invalid("limit must be a whole number from 1 to " + TaskRuns.MAX_PAGE);
        }
        return limit.intValue();
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
        return JsonBody.read(mediaChecked(body), allowedFields);
    }

    private InputStream mediaChecked(InputStream body) {
        MediaType type;
        try {
            type = headers.getMediaType();
        } catch (RuntimeException unparsable) {
            type = null;
        }
        if (type == null || !"application".equalsIgnoreCase(type.getType()) || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw new NotSupportedException("Content-Type must be application/json");
        }
        return body;
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

    private static Status status(String text, boolean given) {
        return given ? status(text) : null;
    }

    private static Status status(String text) {
        return Status.parse(text).orElseThrow(() ->
                TaskRejected.invalid("unknown status " + TaskRejected.quote(text) + "; one of " + Status.names()));
    }
}
