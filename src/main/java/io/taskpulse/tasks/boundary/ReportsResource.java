package io.taskpulse.tasks.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import io.taskpulse.configuration.Settings;
import io.taskpulse.tasks.control.Reports;
import io.taskpulse.tasks.control.WriteRetry;
import io.taskpulse.tasks.entity.Ending;
import io.taskpulse.tasks.entity.Report;
import io.taskpulse.tasks.entity.RunId;
import io.taskpulse.tasks.entity.Status;
import io.taskpulse.tasks.entity.Task;
import io.taskpulse.tasks.entity.TaskRejected;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code POST /api/reports[?create=true]}: up to {@link #MAX_REPORTS} reports and run starts in one request and one
 * transaction, for CI systems that report hundreds of jobs at once. All or nothing: when any item is wrong, nothing
 * is written and the problem body lists every wrong item ({@code errors: [{index, name, status, detail}]}); each item
 * means exactly what the single call means ({@code PUT …/status} with JSON, {@code POST …/start}).
 */
@Path("reports")
@RequestScoped
public class ReportsResource {

    public static final int MAX_REPORTS = 1000;
    /** 1,000 reports with their messages, and outputs whose tails are kept: far below a memory risk. */
    static final int LIMIT_BYTES = 8 * 1024 * 1024;
    static final String TOO_LARGE = "request body is larger than " + LIMIT_BYTES + " bytes";

    private static final Set<String> FIELDS = Set.of("name", "action", "status", "message", "exitCode", "runId",
            "durationMs", "output");
    private static final Set<String> NUMBERS = Set.of("exitCode", "durationMs");
    private static final Set<String> START_FIELDS = Set.of("name", "action", "runId");

    @Inject
    Reports reports;

    @Inject
    WriteRetry retry;

    @Inject
    WriteTransaction transaction;

    @Inject
    Settings settings;

    @Context
    HttpHeaders headers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response report(@QueryParam("create") String create, InputStream body) {
        boolean creating = TasksResource.createFlag(create);
        List<JsonBody> items = JsonBody.readArray(JsonBody.requireJson(headers, body, false), LIMIT_BYTES, MAX_REPORTS, "report", FIELDS, NUMBERS);
        List<Report> parsed = new ArrayList<>(items.size());
        Map<Integer, TaskRejected> invalid = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                parsed.add(report(items.get(i)));
            } catch (TaskRejected e) {
                invalid.put(i, e);
                parsed.add(null);
            }
        }
        if (!invalid.isEmpty()) {
            return refused(400, invalid, items);
        }
        List<Reports.Applied> applied;
        try {
            applied = apply(parsed, creating);
        } catch (Reports.Refused refused) {
            return refused(404, refused.items(), items);
        }
        JsonArrayBuilder results = JSON.createArrayBuilder();
        for (Reports.Applied item : applied) {
            JsonObjectBuilder result = JSON.createObjectBuilder().add("index", item.index()).add("id", item.id())
                    .add("name", item.name()).add("state", item.state());
            if (item.runId() != null) {
                result.add("runId", item.runId());
            }
            results.add(result);
        }
        return Response.ok(JSON.createObjectBuilder().add("count", applied.size()).add("results", results).build().toString())
                .build();
    }

    /**
     * One transaction per attempt. A batch one of whose tasks another request deleted meanwhile runs once more, after
     * the deletion, and answers as a batch sent a moment later would: 404 with the items that name the task, or with
     * {@code ?create=true} a new task (see {@link WriteRetry#callAgainIfGone}).
     */
    private List<Reports.Applied> apply(List<Report> parsed, boolean creating) {
        Set<Long> found = new HashSet<>(); // written and read on this request's thread only
        return retry.callAgainIfGone(() -> transaction.run(() -> {
            found.clear();
            return reports.apply(parsed, creating, found);
        }), () -> found);
    }

    private Report report(JsonBody item) {
        String name = Task.requiredName(item.text("name"));
        String action = item.text("action");
        if (action == null || action.equals("end")) {
            Status status = item.text("status") == null ? null : TasksResource.status(item.text("status"));
            Integer code = TasksResource.exitCode(item.wholeNumber("exitCode"));
            String output = item.text("output");
            return new Report(name, null, new Ending(status, code, item.text("message"),
                    item.text("runId"), item.wholeNumber("durationMs"),
                    output == null ? null : OutputTail.of(output, settings.runOutputLimit())));
        }
        if (action.equals("start")) {
            for (String field : FIELDS) {
                if (!START_FIELDS.contains(field) && item.has(field)) {
                    throw TaskRejected.invalid("a start takes name and runId only, not " + field);
                }
            }
            return new Report(name, RunId.checked(item.text("runId")), null);
        }
        throw TaskRejected.invalid("action must be start or end");
    }

    private static Response refused(int status, Map<Integer, TaskRejected> errors, List<JsonBody> items) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        errors.forEach((index, error) -> {
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("index", index);
            String name = items.get(index).text("name");
            if (name != null) {
                entry.add("name", name);
            }
            list.add(entry.add("status", error.reason() == TaskRejected.Reason.NOT_FOUND ? 404 : 400)
                    .add("detail", error.getMessage()));
        });
        String detail = errors.size() + " of " + items.size() + " reports cannot be applied (first: report "
                + errors.keySet().iterator().next() + ": " + errors.values().iterator().next().getMessage()
                + "); nothing was written";
        JsonObjectBuilder problem = JSON.createObjectBuilder(JSON.createReader(new java.io.StringReader(
                Problems.json(status, detail))).readObject()).add("errors", list);
        return Response.status(status).type(Problems.PROBLEM_JSON).entity(problem.build().toString()).build();
    }
}
