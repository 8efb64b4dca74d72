package io.taskpulse.tasks.boundary;

import static io.taskpulse.configuration.JsonSupport.JSON;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

    /** Writes a problem document to a servlet response: for the boundaries that are not JAX-RS. */
    public static void write(HttpServletResponse response, int status, String detail) throws IOException {
        byte[] body = json(status, detail).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/problem+json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * For the servlets that only read ({@code /api/feed}, {@code /health}): any method but GET, HEAD and OPTIONS
     * gets 405 with a problem body and an Allow header. HttpServlet itself would answer 501 (a server error) to a
     * method it does not know, such as PATCH, and an HTML page to POST. Returns whether the request may go on.
     */
    public static boolean onlyReads(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return true;
        }
        response.setHeader("Allow", "GET, HEAD, OPTIONS");
        write(response, 405, "method not allowed here; allowed: GET, HEAD, OPTIONS");
        return false;
    }

    /** The problem document alone. */
    public static String json(int status, String detail) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        return JSON.createObjectBuilder()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", detail == null ? title : detail)
                .build()
                .toString();
    }
}
