package io.taskpulse.tasks.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

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
import io.taskpulse.tasks.entity.Tags;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import jakarta.ws.rs.core.SecurityContext;
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
            "maxRuntime", "tags");
    private static final Set<String> PATCH_FIELDS = NEW_TASK_FIELDS;
    private static final Set<String> LIST_FIELDS = Set.of("tags");
    /** RFC 7396; plain JSON is taken too, as a script's curl sends it. */
    static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final Set<String> SCHEDULE_FIELDS = Set.of("schedule", "timeZone", "grace", "maxRuntime");
    private static final Set<String> REPORT_FIELDS = Set.of("status", "message", "exitCode", "runId", "durationMs", "output");
    private static final Set<String> REPORT_NUMBERS = Set.of("exitCode", "durationMs");
    private static final Set<String> START_FIELDS = Set.of("runId");
    private static final Set<String> ACKNOWLEDGE_FIELDS = Set.of("by", "note");
    private static final Set<String> PAUSE_FIELDS = Set.of("by");
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

    @Context
    SecurityContext security;

    /** The id of the task this request's write found (by {@link #existing} or {@link #find}), for {@link #write}. */
    private Long found;

    @GET
    public List<Task> list(@QueryParam("status") String status, @QueryParam("tag") String tag) {
        Optional<Status> wanted = status == null || status.isBlank() ? Optional.empty() : Optional.of(status(status));
        Optional<String> tagged = tag == null || tag.isEmpty() ? Optional.empty() : Optional.of(Tags.valid(tag));
        // Read again, like a write, when Derby picks this read as a deadlock's victim (FuzzIT on TomEE got a 503).
        return retry.call(() -> tasks.list(wanted, tagged));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(InputStream body) {
        JsonBody json = JsonBody.read(mediaChecked(body), NEW_TASK_FIELDS, Set.of(), LIST_FIELDS);
        Tags.stored(json.list("tags")); // a bad tag is a 400 before any transaction begins
        Schedule schedule = json.text("schedule") == null ? null
                : Schedule.of(json.text("schedule"), json.text("timeZone"), json.text("grace"));
        Duration maxRuntime = Schedule.maxRuntime(json.text("maxRuntime"));
        if (schedule == null && (json.text("timeZone") != null || json.text("grace") != null)) {
            throw TaskRejected.invalid("timeZone and grace belong to a schedule; send schedule too");
        }
        Task task = write(() -> {
            Task created = tasks.create(json.text("name"), json.text("description"), json.list("tags"));
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

    @PATCH
    @Path("{id: \\d+}")
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    public Task patch(@PathParam("id") long id, InputStream body) {
        return patch(Ref.of(id), body);
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

    // Operators (see io.taskpulse.access: the write token, loopback, or a logged-in user in taskpulse.operate.role).

    @POST
    @Path("{id: \\d+}/acknowledge")
    public Task acknowledge(@PathParam("id") long id, InputStream body) {
        return acknowledge(Ref.of(id), body);
    }

    @POST
    @Path("by-name/{name}/acknowledge")
    public Task acknowledgeByName(@PathParam("name") String name, InputStream body) {
        return acknowledge(Ref.of(name), body);
    }

    @POST
    @Path("acknowledge")
    public Task acknowledgeByQueryName(@QueryParam("name") String name, InputStream body) {
        return acknowledge(Ref.of(requiredName(name)), body);
    }

    @DELETE
    @Path("{id: \\d+}/acknowledge")
    public Task unacknowledge(@PathParam("id") long id) {
        return write(() -> tasks.unacknowledge(existing(Ref.of(id))));
    }

    @DELETE
    @Path("by-name/{name}/acknowledge")
    public Task unacknowledgeByName(@PathParam("name") String name) {
        return write(() -> tasks.unacknowledge(existing(Ref.of(name))));
    }

    @DELETE
    @Path("acknowledge")
    public Task unacknowledgeByQueryName(@QueryParam("name") String name) {
        return write(() -> tasks.unacknowledge(existing(Ref.of(requiredName(name)))));
    }

    @POST
    @Path("{id: \\d+}/pause")
    public Task pause(@PathParam("id") long id, InputStream body) {
        return pause(Ref.of(id), body);
    }

    @POST
    @Path("by-name/{name}/pause")
    public Task pauseByName(@PathParam("name") String name, InputStream body) {
        return pause(Ref.of(name), body);
    }

    @POST
    @Path("pause")
    public Task pauseByQueryName(@QueryParam("name") String name, InputStream body) {
        return pause(Ref.of(requiredName(name)), body);
    }

    @POST
    @Path("{id: \\d+}/resume")
    public Task resume(@PathParam("id") long id) {
        return write(() -> tasks.resume(existing(Ref.of(id))));
    }

    @POST
    @Path("by-name/{name}/resume")
    public Task resumeByName(@PathParam("name") String name) {
        return write(() -> tasks.resume(existing(Ref.of(name))));
    }

    @POST
    @Path("resume")
    public Task resumeByQueryName(@QueryParam("name") String name) {
        return write(() -> tasks.resume(existing(Ref.of(requiredName(name)))));
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

    @PATCH
    @Path("by-name")
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    public Task patchByQueryName(@QueryParam("name") String name, InputStream body) {
        return patch(Ref.of(requiredName(name)), body);
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

    /**
     * A task's state as one word and a newline, for shell scripts: {@code NOT_RUN}, {@code SUCCEEDED}, {@code FAILED},
     * {@code RUNNING} or {@code OVERDUE} ({@code [ "$(curl -fsS …/status.txt)" = SUCCEEDED ]}).
     */
    @GET
    @Path("by-name/{name}/status.txt")
    @Produces(MediaType.TEXT_PLAIN)
    public String stateTextByName(@PathParam("name") String name) {
        return tasks.getByName(name).getState() + "\n";
    }

    @GET
    @Path("{id: \\d+}/status.txt")
    @Produces(MediaType.TEXT_PLAIN)
    public String stateText(@PathParam("id") long id) {
        return tasks.find(id).getState() + "\n";
    }

    @GET
    @Path("status.txt")
    @Produces(MediaType.TEXT_PLAIN)
    public String stateTextByQueryName(@QueryParam("name") String name) {
        return tasks.getByName(requiredName(name)).getState() + "\n";
    }

    @PATCH
    @Path("by-name/{name}")
    @Consumes({MERGE_PATCH_JSON, MediaType.APPLICATION_JSON})
    public Task patchByName(@PathParam("name") String name, InputStream body) {
        return patch(Ref.of(name), body);
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
            return existing(ref);
        }
        Optional<Task> byName = tasks.findByName(ref.name());
        if (byName.isPresent()) {
            found = byName.get().getId();
            return byName.get();
        }
        if (!create) {
            throw TaskRejected.notFound("no task named " + TaskRejected.quote(ref.name().strip())
                    + "; add ?create=true to create it with this report");
        }
        return tasks.create(ref.name(), null);
    }

    /** The task, which must exist (an operation that cannot create it: no hint about ?create=true). */
    private Task existing(Ref ref) {
        Task task = ref.id() != null ? tasks.find(ref.id()) : tasks.getByName(ref.name());
        found = task.getId();
        return task;
    }

    private boolean createRequested() {
        return createFlag(uri.getQueryParameters().getFirst("create"));
    }

    /** {@code ?create=}: absent, empty or false, or true; anything else is a 400 (bulk reports take it too). */
    static boolean createFlag(String create) {
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
        return write(() -> tasks.schedule(existing(ref), schedule, maxRuntime));
    }

    /**
     * A JSON merge patch (RFC 7396): a field left out stays as it is, null removes it (name cannot be removed).
     * Schedule, timeZone, grace and maxRuntime are checked as on create and merged with what the task has;
     * {@code schedule: null} removes the schedule with its zone and grace. All or nothing, in one transaction.
     */
    private Task patch(Ref ref, InputStream body) {
        JsonBody json = JsonBody.read(mediaChecked(body, true), PATCH_FIELDS, Set.of(), LIST_FIELDS);
        if (json.has("name") && json.text("name") == null) {
            throw TaskRejected.invalid("name is required and cannot be removed; send a new name or leave it out");
        }
        Tags.stored(json.list("tags")); // checked before the transaction, like the schedule's texts
        Duration maxRuntime = Schedule.maxRuntime(json.text("maxRuntime"));
        boolean scheduling = SCHEDULE_FIELDS.stream().anyMatch(json::has);
        return write(() -> {
            Task task = existing(ref);
            if (json.has("name")) {
                tasks.rename(task, json.text("name"));
            }
            if (json.has("description")) {
                task.describe(json.text("description"));
            }
            if (json.has("tags")) {
                task.tag(json.list("tags"));
            }
            if (scheduling) {
                return tasks.schedule(task, mergedSchedule(task, json),
                        json.has("maxRuntime") ? maxRuntime : Schedule.maxRuntime(task.getMaxRuntime()));
            }
            return tasks.changed(task, "patched");
        });
    }

    /** The schedule after a patch: each of schedule, timeZone and grace from the body when there, else the task's. */
    private static Schedule mergedSchedule(Task task, JsonBody json) {
        String expression = json.has("schedule") ? json.text("schedule") : task.getSchedule();
        if (expression == null) {
            if (json.text("timeZone") != null || json.text("grace") != null) {
                throw TaskRejected.invalid("timeZone and grace belong to a schedule; send schedule too");
            }
            return null;
        }
        String zone = json.has("timeZone") ? json.text("timeZone") : task.getTimeZone();
        String grace = json.has("grace") ? json.text("grace") : task.getGrace();
        if (json.has("schedule") && !json.has("timeZone") && isPeriod(expression)) {
            zone = null; // a period counts from the last run: the old cron schedule's zone goes with it
        }
        return Schedule.of(expression, zone, grace);
    }

    private static boolean isPeriod(String schedule) {
        return schedule.strip().startsWith("P") || schedule.strip().startsWith("p");
    }

    private Task unschedule(Ref ref) {
        return write(() -> tasks.schedule(existing(ref), null, null));
    }

    private Task acknowledge(Ref ref, InputStream body) {
        JsonBody json = optionalBody(body, ACKNOWLEDGE_FIELDS);
        String by = operator(json == null ? null : json.text("by"));
        String note = json == null ? null : json.text("note");
        return write(() -> tasks.acknowledge(existing(ref), by, note));
    }

    private Task pause(Ref ref, InputStream body) {
        JsonBody json = optionalBody(body, PAUSE_FIELDS);
        String by = operator(json == null ? null : json.text("by"));
        return write(() -> tasks.pause(existing(ref), by));
    }

    /** A body is optional on these actions: none at all, or a JSON object. */
    private JsonBody optionalBody(InputStream body, Set<String> fields) {
        return headers.getLength() == 0 || (headers.getLength() < 0 && headers.getMediaType() == null) ? null
                : jsonBody(body, fields);
    }

    /**
     * Who acts: a logged-in user is who they are (a body cannot say otherwise); a token or local caller may name
     * someone, else is "api".
     */
    private String operator(String named) {
        if (security.getUserPrincipal() != null) {
            if (named != null && !named.equals(security.getUserPrincipal().getName())) {
                throw TaskRejected.invalid("by must be left out (or be your own user name) when logged in");
            }
            return security.getUserPrincipal().getName();
        }
        return named;
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
        if (ended.run() == null) {
            return json(ended.task()).build(); // a source's task: written into its table, no run
        }
        JsonObjectBuilder run = JSON.createObjectBuilder().add("id", ended.run().getId())
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
        return runs.runs(existing(ref), cursor, entries);
    }

    private Response output(Ref ref, String runId) {
        Run run = runs.run(existing(ref), runId);
        return Response.ok(run.getOutput() == null ? "" : run.getOutput())
                .header("TaskPulse-Output-Cut", run.isOutputCut())
                .header("TaskPulse-Output-Bytes", run.getOutputBytes() == null ? 0 : run.getOutputBytes())
                .build();
    }

    private JsonObjectBuilder json(Task task) {
        return JSON.createObjectBuilder(JSON.createReader(new java.io.StringReader(JSONB.toJson(task))).readObject());
    }

    /** A whole-number exit code in 0..255 (single and bulk reports). */
    static Integer exitCode(Long code) {
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

    /**
     * One transaction per attempt; the retry stays outside it. A write whose task another request deleted after this
     * one had found it runs once more, after the deletion (see {@link WriteRetry#callAgainIfGone}).
     */
    private <T> T write(Supplier<T> write) {
        found = null;
        return retry.callAgainIfGone(() -> transaction.run(write), () -> found == null ? List.of() : List.of(found));
    }

    private JsonBody jsonBody(InputStream body, Set<String> allowedFields) {
        return JsonBody.read(mediaChecked(body), allowedFields);
    }

    private InputStream mediaChecked(InputStream body) {
        return mediaChecked(body, false);
    }

    private InputStream mediaChecked(InputStream body, boolean mergePatch) {
        return JsonBody.requireJson(headers, body, mergePatch);
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

    /** A status by name, or a 400 that lists the known ones (single and bulk reports). */
    static Status status(String text) {
        return Status.parse(text).orElseThrow(() ->
                TaskRejected.invalid("unknown status " + TaskRejected.quote(text) + "; one of " + Status.names()));
    }
}
