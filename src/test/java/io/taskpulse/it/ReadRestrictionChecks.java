package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * What restricted reading ({@code taskpulse.read.role=viewer}) promises, against a server whose realm has two users:
 * {@link #VIEWER} (role viewer) and {@link #OUTSIDER} (no such role). Each server kind starts its own server and
 * calls {@link #use}: {@link ViewerAccessIT} (Payara Micro), {@link ViewerAccessTomEEIT} (TomEE, -Ptomee).
 */
abstract class ReadRestrictionChecks {

    static final String VIEWER = "alice";
    static final String OUTSIDER = "bob";

    private static String viewerPassword;
    private static String outsiderPassword;
    private static URI base;
    private static Api writer;
    private static Api viewer;
    private static Api anonymous;

    static void use(URI server, String writeToken, String alicePassword, String bobPassword) {
        base = server;
        viewerPassword = alicePassword;
        outsiderPassword = bobPassword;
        try {
            writer = new Api(base.toURL(), writeToken);
            anonymous = new Api(base.toURL(), "");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        viewer = Api.basic(base, VIEWER, viewerPassword);
    }

    @Test
    void withoutCredentialsTheApiAndTheFeedAnswer401AndNoSocketOpens() {
        for (String path : List.of("api/tasks", "api/feed", "api/viewer", "badge/anything.svg", "badge.svg?tag=x",
                "api/tasks/status.txt?name=x")) {
            HttpResponse<String> response = anonymous.send("GET", path, null, null);
            assertEquals(401, response.statusCode(), path);
            assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "), path);
            assertEquals("application/problem+json", mediaType(response), path);
        }
        assertEquals(401, SocketClient.refusal(base, "ws/tasks", Map.of()));
        assertEquals(401, viewer(VIEWER, "wrong").send("GET", "api/tasks", null, null).statusCode(), "wrong password");
    }

    @Test
    void aUserWithoutTheRoleIsForbidden() {
        Api outsider = viewer(OUTSIDER, outsiderPassword);
        for (String path : List.of("api/tasks", "api/feed", "badge/anything.svg")) {
            HttpResponse<String> response = outsider.send("GET", path, null, null);
            assertEquals(403, response.statusCode(), path);
            assertEquals("application/problem+json", mediaType(response), path);
            assertTrue(Api.object(response.body()).getString("detail").contains("viewer"), response.body());
        }
        assertEquals(403, SocketClient.refusal(base, "ws/tasks", Map.of("Authorization", Api.basicAuthorization(OUTSIDER, outsiderPassword))));
        assertEquals(403, new FormLogin(OUTSIDER, outsiderPassword).get("").statusCode(), "the page, after the login form");
    }

    @Test
    void aViewerSeesTasksOverTheApiTheFeedAndTheSocket() {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        writer.create(name, "seen by alice");
        viewer.awaitPublished(name);

        assertEquals("NOT_RUN", viewer.task(name).getString("status"));
        assertTrue(viewer.tasks().stream().anyMatch(t -> name.equals(t.asJsonObject().getString("name"))));
        assertTrue(TaskBoardIT.hasTask(Api.object(viewer.feed("").body()), name, "NOT_RUN"), "feed snapshot");
        try (SocketClient socket = SocketClient.connect(base, "ws/tasks", "",
                Map.of("Authorization", Api.basicAuthorization(VIEWER, viewerPassword)))) {
            assertTrue(TaskBoardIT.hasTask(socket.next(), name, "NOT_RUN"), "socket snapshot");
            writer.report(name, "SUCCEEDED", "alice watches");
            socket.nextMatching(m -> TaskBoardIT.hasTask(m, name, "SUCCEEDED"));
        }
        JsonObject me = Api.object(viewer.send("GET", "api/viewer", null, null).body());
        assertTrue(me.getBoolean("restricted"));
        assertEquals(VIEWER, me.getString("user"));
    }

    @Test
    void thePageAsksForTheContainersLoginAndShowsTheBoardAfterIt() {
        FormLogin browser = new FormLogin();
        HttpResponse<String> loginPage = browser.get("");
        assertEquals(200, loginPage.statusCode());
        assertTrue(loginPage.body().contains("j_security_check"), "the login form, not the board");
        assertTrue(loginPage.headers().firstValue("Content-Security-Policy").isPresent(), "the login page has the page's headers");

        browser.logIn(VIEWER, viewerPassword);

        assertTrue(browser.get("").body().contains("task-rows"), "the board");
        assertTrue(browser.get("js/main.js").body().contains("FeedConnection"), "and its files");
        assertEquals(VIEWER, Api.object(browser.get("api/viewer").body()).getString("user"));
        assertEquals(200, browser.get("api/feed").statusCode());
    }

    @Test
    void thePageShowsWhoIsLoggedInAndItsButtonLogsOut() {
        try (Browser browser = new Browser()) {
            browser.open(base.toString());
            browser.await("the login form", d -> !d.findElements(By.id("user")).isEmpty());
            browser.find("#user").sendKeys(VIEWER);
            browser.find("#password").sendKeys(viewerPassword);
            browser.find(".login-submit").click();

            browser.await("the board, live", d -> "live".equals(browser.body("connection")));
            browser.await("who is logged in", d -> browser.find("#viewer-name").getText().contains(VIEWER));
            browser.screenshot("page-logged-in");

            browser.find("#viewer button").click();

            browser.await("the login form again", d -> !d.findElements(By.name("j_username")).isEmpty());
        }
    }

    @Test
    void loggingOutClosesTheLoginsSocketAndItsNextHandshakeIsRefused() {
        FormLogin leaving = new FormLogin(VIEWER, viewerPassword);
        FormLogin staying = new FormLogin(VIEWER, viewerPassword);
        String name = "logout-" + UUID.randomUUID().toString().substring(0, 8);
        writer.create(name, "changes after the logout");
        viewer.awaitPublished(name);
        try (SocketClient feed = SocketClient.connect(base, "ws/tasks", "", leaving.cookie());
             SocketClient otherLogin = SocketClient.connect(base, "ws/tasks", "", staying.cookie())) {
            feed.next();
            otherLogin.next();

            HttpResponse<String> logout = leaving.post("logout");

            assertEquals(303, logout.statusCode());
            assertEquals(1008, feed.awaitClose(), "closed as Jakarta WebSocket 7.2 says");
            writer.report(name, "FAILED", "after the logout");
            otherLogin.nextMatching(m -> TaskBoardIT.hasTask(m, name, "FAILED"));
        }
        assertEquals(401, SocketClient.refusal(base, "ws/tasks", leaving.cookie()));
        assertEquals(401, leaving.get("api/tasks").statusCode());
        assertTrue(leaving.get("").body().contains("j_security_check"), "the page asks for the login again");
    }

    /** The board open in two tabs: both sockets share one HTTP session. Tyrus closes only the newest at logout. */
    @Test
    void loggingOutClosesEverySocketOfThatLoginNotOnlyTheNewest() {
        FormLogin leaving = new FormLogin(VIEWER, viewerPassword);
        try (SocketClient firstTab = SocketClient.connect(base, "ws/tasks", "", leaving.cookie());
             SocketClient secondTab = SocketClient.connect(base, "ws/tasks", "", leaving.cookie())) {
            assertEquals("snapshot", firstTab.next().getString("type"));
            assertEquals("snapshot", secondTab.next().getString("type"));

            assertEquals(303, leaving.post("logout").statusCode());

            assertEquals(1008, firstTab.awaitClose(), "the older tab too");
            assertEquals(1008, secondTab.awaitClose());
        }
    }

    @Test
    void healthStaysOpenAndWritesKeepTheirOwnRule() {
        JsonObject health = viewer.await("health UP without a login",
                () -> Api.object(anonymous.send("GET", "health", null, null).body()), h -> "UP".equals(h.getString("status", "")));
        assertEquals("UP", health.getString("status"));

        String name = "write-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, writer.send("POST", "api/tasks", "application/json", "{\"name\":\"" + name + "\"}").statusCode(),
                "a write with the token needs no login");
        HttpResponse<String> withoutToken = anonymous.send("PUT", "api/tasks/by-name?name=" + name, "application/json",
                "{\"status\":\"FAILED\"}");
        assertEquals(401, withoutToken.statusCode());
        assertTrue(withoutToken.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), "the write rule answered");
        // Bulk reports and alert rules are writes like any other: the token, no login.
        HttpResponse<String> bulk = writer.send("POST", "api/reports", "application/json",
                "[{\"name\":\"" + name + "\",\"status\":\"SUCCEEDED\"}]");
        assertEquals(200, bulk.statusCode(), bulk.body());
        HttpResponse<String> rule = writer.send("POST", "api/rules", "application/json", "{\"channel\":999999,\"transitions\":[\"FAILED\"]}");
        assertEquals(400, rule.statusCode(), "past the login, to the rule's own check: " + rule.body());
        // Another site's page may not write, even where no token is needed (its form needs no CORS preflight).
        HttpResponse<String> foreign = writer.send(writer.request("POST", "api/tasks/by-name/" + name + "/start", null, null)
                .header("Origin", "http://evil.example"));
        assertEquals(403, foreign.statusCode(), foreign.body());
    }

    private static Api viewer(String user, String password) {
        return Api.basic(base, user, password);
    }

    private static String mediaType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
    }

    /** A browser's side of the container's form login: the session cookie, kept by hand, and no redirects followed. */
    static final class FormLogin {
        /** HTTP/1.1 like a browser over plain http (see Api#http). */
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private String sessionCookie;

        FormLogin() {
        }

        FormLogin(String user, String password) {
            get("");
            logIn(user, password);
        }

        void logIn(String user, String password) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("j_security_check"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("j_username=" + Api.encode(user) + "&j_password=" + Api.encode(password))));
            assertTrue(response.statusCode() == 302 || response.statusCode() == 303,
                    "a login that works is redirected back to the page, not " + response.statusCode());
            // As a browser does; Payara ties the login to the session only once the saved request comes back.
            send(HttpRequest.newBuilder(base.resolve(response.headers().firstValue("Location").orElseThrow())).GET());
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        HttpResponse<String> post(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()));
        }

        /** A POST as the page's script sends it: with its Origin (or another, or none). */
        HttpResponse<String> post(String path, String origin) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
            if (origin != null) {
                request.header("Origin", origin);
            }
            return send(request);
        }

        Map<String, String> cookie() {
            assertNotNull(sessionCookie, "no session yet");
            return Map.of("Cookie", sessionCookie);
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            if (sessionCookie != null) {
                request.header("Cookie", sessionCookie);
            }
            try {
                HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                        .findFirst().ifPresent(c -> sessionCookie = c.split(";")[0]);
                return response;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
