package io.taskpulse.tasks.boundary;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Error responses as RFC 9457 problem details: {"type","title","status","detail"}. Never a stack trace. */
public final class Problems {

    public static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");

    private Problems() {
    }

    public static Response of(int status, String detail) {
        return Response.status(status).type(PROBLEM_JSON).entity(json(status, detail)).build();
    }

    /** The problem document alone, for boundaries that are not JAX-RS (the feed servlet). */
    public static String json(int status, String detail) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        return Json.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail)
                .build()
                .toString();
    }
}
