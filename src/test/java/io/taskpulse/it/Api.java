package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** The scripts' API and the polling feed, as a test sees them from outside the server. */
public final class Api {

    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private final URI base;
    /** The Authorization header every request carries, or "" for none. */
    private final String authorization;
    /**
     * HTTP/1.1 as scripts (curl) and browsers speak it over plain http. The JDK client's default, HTTP/2, tries an h2c
     * upgrade on every new connection; Payara Micro sometimes answered that with bytes the client took for a broken
     * HTTP/2 frame ("Frame type(118) ... exceeds MAX_FRAME_SIZE"), failing a test at random.
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A client of the ITs' server, which wants the write token (see it.write.token in the pom). */
    public Api(URL base) {
        this(base, System.getProperty("it.write.token", ""));
    }

    /** A client with the given token ("" for none): a server without one accepts loopback writes only. */
    public Api(URL base, String token) {
        this(URI.create(base.toString()), token.isEmpty() ? "" : "Bearer " + token);
    }

    private Api(URI base, String authorization) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.authorization = authorization;
    }

    /** A reader that logs in with HTTP Basic on every request (a server whose reading is restricted). */
    public static Api basic(URI base, String user, String password) {
        return new Api(base, basicAuthorization(user, password));
    }

    public static String basicAuthorization(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public URI base() {
        return base;
    }

    public JsonObject create(String name, String description) {
        HttpResponse<String> response = send("POST", "api/tasks", "application/json",
                Json.createObjectBuilder().add("name", name).add("description", description).build().toString());
        assertEquals(201, response.statusCode(), response.body());
        return object(response.body());
    }

    public JsonObject report(String name, String status, String message) {
        HttpResponse<String> response = send("PUT", "api/tasks/by-name?name=" + encode(name), "application/json",
                Json.createObjectBuilder().add("status", status).add("message", message).build().toString());
        assertEquals(200, response.statusCode(), response.body());
        return object(response.body());
    }

    public void delete(String name) {
        HttpResponse<String> response = send("DELETE", "api/tasks/by-name?name=" + encode(name), null, null);
        assertEquals(204, response.statusCode(), response.body());
    }

    public JsonArray tasks() {
        HttpResponse<String> response = send("GET", "api/tasks", null, null);
        assertEquals(200, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    public JsonObject task(String name) {
        HttpResponse<String> response = send("GET", "api/tasks/by-name?name=" + encode(name), null, null);
        assertEquals(200, response.statusCode(), response.body());
        return object(response.body());
    }

    /** Plays a script that writes the table with SQL (see DirectSqlServlet). */
    public void sqlReport(String name, String status, String message, long holdMillis) {
        String query = "it/sql?name=" + encode(name) + "&status=" + status + "&message=" + encode(message)
                + "&holdMillis=" + holdMillis;
        HttpResponse<String> response = send("POST", query, null, null);
        assertEquals(204, response.statusCode(), response.body());
    }

    /** The feed's current revision, from a snapshot. */
    public long revision() {
        return object(feed("").body()).getJsonNumber("revision").longValue();
    }

    public HttpResponse<String> feed(String query) {
        return send("GET", "api/feed" + (query.isEmpty() ? "" : "?" + query), null, null);
    }

    public CompletableFuture<HttpResponse<String>> feedAsync(String query) {
        return sendAsync(request("GET", "api/feed?" + query, null, null));
    }

    public CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until the task's newest change has its revision in the database and the feed has caught up with it
     * (the feed applies a stamped batch a moment after the database shows it).
     */
    public long awaitPublished(String name) {
        long stamped = await("task " + name + " stamped", () -> task(name), t -> t.containsKey("revision"))
                .getJsonNumber("revision").longValue();
        await("feed at revision " + stamped, this::revision, r -> r >= stamped);
        return stamped;
    }

    public HttpResponse<String> send(String method, String path, String contentType, String body) {
        return send(request(method, path, contentType, body));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90));
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return request.method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    public static JsonObject object(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    public static JsonStructure structure(String json) {
        return Json.createReader(new StringReader(json)).read();
    }

    public static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Looks until a condition holds or {@link #PATIENCE} runs out. Between looks it long-polls the feed, so it
     * wakes on the next change (or after a second), instead of sleeping.
     */
    public <T> T await(String what, java.util.function.Supplier<T> look, Predicate<T> done) {
        Instant deadline = Instant.now().plus(PATIENCE);
        T last = null;
        while (Instant.now().isBefore(deadline)) {
            long revision = revision();
            last = look.get();
            if (done.test(last)) {
                return last;
            }
            feed("since=" + revision + "&wait=1");
        }
        fail("gave up waiting for " + what + "; last seen: " + last);
        return last;
    }

    /** The named task in a feed message's {@code tasks}, or null when the message has none of that name. */
    public static JsonObject taskIn(JsonObject message, String name) {
        if (!message.containsKey("tasks")) {
            return null;
        }
        return message.getJsonArray("tasks").stream().map(JsonValue::asJsonObject)
                .filter(t -> name.equals(t.getString("name"))).findFirst().orElse(null);
    }

    /** The JSON object of a 200 answer; fails on any other status. */
    /** A 200 answer's JSON array. */
    public static JsonArray array(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return structure(response.body()).asJsonArray();
    }

    public static JsonObject ok(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return object(response.body());
    }

    /** A problem answer with this status whose detail says {@code says}. */
    public static void assertProblem(int status, String says, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        org.junit.jupiter.api.Assertions.assertTrue(object(response.body()).getString("detail").contains(says), response.body());
    }
}
