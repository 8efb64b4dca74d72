package io.taskpulse.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskpulse.it.FuzzCases.Anchor;
import io.taskpulse.it.FuzzCases.Case;
import io.taskpulse.it.FuzzCases.Chain;
import io.taskpulse.it.FuzzCases.Expect;
import io.taskpulse.it.FuzzCases.Frame;
import io.taskpulse.it.FuzzCases.Step;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed input from every side, at volume: at least 10,000 generated requests and WebSocket frames (see
 * {@link FuzzCases}), mixed with valid requests whose outcome is known. Afterwards: no answer was a 5xx or
 * carried a stack trace, every JSON 4xx was a problem document, every socket was closed with a code that names
 * the client's mistake, {@code /health} is still UP, and the database holds exactly what the valid requests left.
 * <p>
 * The seed is printed; {@code -Dfuzz.seed=N} replays a run ({@code -Dfuzz.cases}, {@code -Dfuzz.frames} scale it).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FuzzIT {

    private static final int CASES = Integer.getInteger("fuzz.cases", 10_000);
    private static final int FRAMES = Integer.getInteger("fuzz.frames", 400);
    private static final int CHAINS = Integer.getInteger("fuzz.chains", 150);
    private static final int IN_FLIGHT = 8;
    /** A run that found this many failures has made its point; the rest is skipped so it ends soon. */
    private static final int ENOUGH_FAILURES = 100;
    /** How long a socket may take to close after a malformed frame (a busy box; the server closes at once). */
    private static final Duration SOCKET_PATIENCE = Duration.ofSeconds(15);

    /** What a leaked stack trace or exception text looks like; the generator never produces these. */
    private static final List<String> STACK_TRACE = List.of("\tat ", ".java:", "Exception", "Caused by", "org.eclipse.",
            "org.glassfish.", "org.apache.", "jakarta.", "fish.payara", "java.lang.", "java.io.", "Throwable");

    /**
     * The close codes that tell a client it sent something wrong: a frame the container finds malformed (1002),
     * type (1003), encoding (1007), content (1008), size (1009).
     */
    private static final Set<Integer> CLIENT_MISTAKE_CLOSES = Set.of(1002, 1003, 1007, 1008, 1009);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.taskPulse();
    }

    @ArquillianResource
    URL base;

    private Api api;
    private RawClient raw;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final Queue failures = new Queue();
    private final Map<String, AtomicInteger> categories = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> closes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> nonJson4xx = new ConcurrentHashMap<>();

    @BeforeEach
    void clients() {
        api = new Api(base);
        raw = new RawClient(api.base());
    }

    @Test
    void tenThousandMalformedRequestsAndFramesLeaveTheServerHealthyAndOnlyTheValidWritesInTheDatabase() throws Exception {
        long seed = Long.getLong("fuzz.seed", new Random().nextLong() & 0xffffffffL);
        String tag = Long.toString(seed, 36) + "-" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        System.out.println("FuzzIT seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")");
        String token = System.getProperty("it.write.token", "");

        Map<String, JsonObject> before = byName(published());
        List<Anchor> anchors = new ArrayList<>();
        for (String odd : List.of("plain", "\uD83D\uDE80", "\u200F\u05E9\u05DC\u05D5\u05DD", "\u4EFB\u52A1", "a+b", "<b>x<b>")) {
            JsonObject created = api.create("fuzz-" + tag + "-anchor-" + odd, "malformed writes aim here");
            anchors.add(new Anchor(created.getJsonNumber("id").longValue(), created.getString("name")));
        }
        Map<String, JsonObject> anchorsBefore = byName(published());
        Map<Long, String> historiesBefore = histories(anchors);

        FuzzCases generator = new FuzzCases(seed, tag, token, anchors, raw.root());
        List<Chain> chains = generator.chains(CHAINS);
        List<Case> cases = generator.requests(CASES);
        List<Frame> frames = generator.frames(FRAMES);
        Map<String, Long> createdIds = new ConcurrentHashMap<>();

        List<Callable<Void>> jobs = new ArrayList<>();
        chains.forEach(chain -> jobs.add(() -> run(chain, createdIds)));
        cases.forEach(c -> jobs.add(() -> failures.size() < ENOUGH_FAILURES ? run(c) : null));
        frames.forEach(frame -> jobs.add(() -> failures.size() < ENOUGH_FAILURES ? run(frame) : null));
        Collections.shuffle(jobs, new Random(seed));

        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
        try {
            pool.invokeAll(jobs, 15, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        Duration took = Duration.between(start, Instant.now());

        HttpResponse<String> health = api.send("GET", "health", null, null);
        assertEquals(200, health.statusCode(), "health after the fuzz: " + health.body());
        assertEquals("UP", Api.object(health.body()).getString("status"));

        Map<String, JsonObject> after = byName(published());
        checkModel(before, anchorsBefore, chains, createdIds, after);
        if (!histories(anchors).equals(historiesBefore)) {
            failures.add("an anchor's history changed: before " + historiesBefore + ", after " + histories(anchors));
        }

        printSummary(seed, took, cases.size(), frames.size(), chains);
        assertTrue(failures.isEmpty(), failures.size() + " failures with seed " + seed + " (replay: -Dfuzz.seed=" + seed + "):\n"
                + String.join("\n", failures.first(40)));
    }

    /* Named regressions for what the fuzzer found, so each stays fixed whatever the seed. */

    @Test
    void readOnlyEndpointsAnswerOtherMethodsWithA405ProblemNotA501() {
        for (String path : List.of("health", "api/feed")) {
            for (String method : List.of("PATCH", "POST", "DELETE", "PROPFIND")) {
                // DELETE without a body, as clients send it: Payara's HTTP layer (Grizzly) refuses a DELETE that has
                // one with its own empty 400 before any servlet runs (README, "The scripts' API").
                boolean body = !method.equals("DELETE");
                HttpResponse<String> response = api.send(method, path, body ? "application/json" : null, body ? "{}" : null);

                String what = method + " " + path + " -> " + response.body();
                assertEquals(405, response.statusCode(), what);
                assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
                assertEquals(405, Api.object(response.body()).getInt("status"), what);
                assertTrue(response.headers().firstValue("Allow").orElse("").contains("GET"), what);
            }
        }
    }

    @Test
    void contentTypesThatOnlyLookLikeJsonAre415AndChangeNothing() {
        // CXF (TomEE) took "json" and "application" for application/json, and the write went through. (Jersey
        // cannot parse those two at all: 400.)
        Set<String> before = TaskBoardIT.names(api.tasks());
        for (String type : List.of("json", "application", "text/json", "application/jsonx")) {
            HttpResponse<String> response = api.send("POST", "api/tasks", type, "{\"name\":\"fuzz-type-" + type.replace('/', '-') + "\"}");
            String what = type + " -> " + response.body();
            assertTrue(response.statusCode() == 415 || response.statusCode() == 400, what);
            assertEquals(response.statusCode(), Api.object(response.body()).getInt("status"), what);
        }
        assertEquals(before, TaskBoardIT.names(api.tasks()));
        assertEquals(201, api.send("POST", "api/tasks", "application/json; charset=UTF-8",
                "{\"name\":\"fuzz-type-" + java.util.UUID.randomUUID() + "\"}").statusCode());
    }

    @Test
    void errorsTheRuntimeAnswersItselfAreProblemDocumentsNotHtmlPages() {
        // Jersey answers a malformed Accept or Content-Type header with a bare 400, which Payara dressed as HTML.
        // (CXF ignores a malformed Accept: 200 there.)
        HttpResponse<String> accept = api.send(api.request("GET", "api/tasks", null, null).header("Accept", "@@"));
        List<HttpResponse<String>> answers = List.of(
                api.send("POST", "api/tasks", "@@@", "{\"name\":\"fuzz-never\"}"),
                api.send("GET", "no-such-page.html", null, null));
        for (HttpResponse<String> answer : accept.statusCode() == 200 ? answers
                : java.util.stream.Stream.concat(answers.stream(), java.util.stream.Stream.of(accept)).toList()) {
            String what = answer.request().uri() + " -> " + answer.statusCode() + " " + answer.body();
            assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, what);
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
            assertEquals(answer.statusCode(), Api.object(answer.body()).getInt("status"), what);
        }
    }

    @Test
    void aBrokenEscapeInTheQueryIsAClientErrorNotA500() throws IOException {
        // CXF (TomEE) threw while decoding "%zz" and the client got a 500; Jersey (Payara) answers 404.
        RawClient.Reply reply = raw.exchange(raw.request("GET", "api/tasks/by-name?name=%zz", List.of(), null), false);

        assertTrue(reply.status() >= 400 && reply.status() < 500, reply.head() + reply.body());
        assertEquals(reply.status(), Api.object(reply.body()).getInt("status"), reply.body());
    }

    @Test
    void bodiesThatBrokeTheParserOrSlippedThroughAreClear400sThatChangeNothing() throws IOException {
        Set<String> before = TaskBoardIT.names(api.tasks());
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"name\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "name must be a string");
        bodies.put("{\"name\":1E+2147483648}", "name must be a string");
        bodies.put("{\"name\":\"fuzz-half\\ud800\"}", "surrogate");
        bodies.put("{\"name\":\"fuzz-nul\",\"description\":\"a\\u0000b\"}", "NUL");
        bodies.put("{\"name\":null,\"name\":\"fuzz-twice\"}", "given twice");
        bodies.put("{\"name\":\"fuzz-trailing\"} x", "not valid JSON");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            HttpResponse<String> response = api.send("POST", "api/tasks", "application/json", body.getKey());

            String what = FuzzCases.printable(body.getKey(), 80) + " -> " + response.body();
            assertEquals(400, response.statusCode(), what);
            assertTrue(Api.object(response.body()).getString("detail").contains(body.getValue()), what);
        }
        byte[] notUtf8 = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 'f', 'u', 'z', 'z', (byte) 0xc0, (byte) 0xaf, '"', '}'};
        RawClient.Reply reply = raw.exchange(raw.request("POST", "api/tasks", List.of(
                Map.entry("Authorization", "Bearer " + System.getProperty("it.write.token", "")),
                Map.entry("Content-Type", "application/json")), notUtf8), false);
        assertEquals(400, reply.status(), reply.head() + reply.body());
        assertTrue(reply.body().contains("UTF-8"), reply.body());
        assertEquals(before, TaskBoardIT.names(api.tasks()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // running

    private Void run(Case c) {
        count(categories, c.category());
        try {
            if (c.raw() != null) {
                RawClient.Reply reply = raw.exchange(c.raw(), c.halfClose());
                check(c, reply.status(), header(reply.head(), "content-type"), reply.body(),
                        !header(reply.head(), "content-security-policy").isEmpty());
                return null;
            }
            HttpRequest.Builder request;
            try {
                request = HttpRequest.newBuilder(api.base().resolve(c.path())).timeout(Duration.ofSeconds(30))
                        .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
                c.headers().forEach(h -> request.header(h.getKey(), h.getValue()));
            } catch (IllegalArgumentException refused) {
                // a path like "%zz" or "[]" that java.net.http will not send: it goes out as bytes
                RawClient.Reply reply = raw.exchange(raw.request(c.method(), c.path(), c.headers(), c.body()), false);
                check(c, reply.status(), header(reply.head(), "content-type"), reply.body(),
                        !header(reply.head(), "content-security-policy").isEmpty());
                return null;
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            check(c, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    response.headers().firstValue("Content-Security-Policy").isPresent());
        } catch (IOException e) {
            count(statuses, "io-error");
            // A server may answer a huge body early and close; the client then fails to finish sending it. Headers
            // beyond the container's limit (8 KiB on Tomcat) may be refused by closing the connection: no app involved.
            // The limit counts the whole head: the request line and the headers the client adds (Host,
            // Content-Length, ...) too, hence the margin (a case with 8,130 bytes of its own headers went unanswered).
            int headerBytes = c.headers().stream().mapToInt(h -> h.getKey().length() + h.getValue().length() + 4).sum();
            if (!(c.body() != null && c.body().length > 60_000) && headerBytes <= 8 * 1024 - 512) {
                failures.add("no answer (" + e + ") to " + c.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.add("client failed (" + e + ") on " + c.describe());
        }
        return null;
    }

    /**
     * {@code sawIt}: the answer carries the security headers TaskPulse puts on every response, so the application
     * handled the request. Without them the container refused it on its own (Tomcat: "%00" in the path, a header
     * over its limit) with its own page, which no application can change.
     */
    private void check(Case c, int status, String contentType, String body, boolean sawIt) {
        count(statuses, status == 0 ? "closed" : String.valueOf(status));
        String what = status + " for " + c.describe() + " -> " + FuzzCases.printable(body, 300);
        // 505 is the one right answer to a request line that claims HTTP/9.9, and 501 to CONNECT on a server that is no
        // proxy (Tomcat): the container gives them before TaskPulse runs.
        String request = c.raw() == null ? "" : new String(c.raw(), StandardCharsets.ISO_8859_1);
        boolean protocolRefused = status == 505 && request.contains(" HTTP/9.9\r\n") || status == 501 && request.startsWith("CONNECT ");
        if (status >= 500 && !protocolRefused) {
            failures.add("server error " + what);
        }
        if (c.expect() == Expect.REJECTED && !(status >= 400 && status < 500) && !(status == 0 && c.raw() != null)) {
            failures.add("malformed write accepted: " + what);
        }
        STACK_TRACE.stream().filter(body::contains).findFirst()
                .ifPresent(marker -> failures.add("stack trace marker '" + marker.strip() + "' in " + what));
        if (status >= 400 && status < 500 && !body.isEmpty()) {
            checkProblem(status, contentType, body, what, c.raw() != null || !sawIt);
        }
    }

    /** A 4xx is a problem document; only a request the container refused itself may get the server's own page. */
    private void checkProblem(int status, String contentType, String body, String what, boolean notHttp) {
        boolean json = contentType.contains("json") || body.stripLeading().startsWith("{");
        if (!json && !notHttp) {
            failures.add("4xx that is not a problem document: " + what);
        }
        if (!json) {
            count(nonJson4xx, status + " " + what.substring(what.indexOf(" for ") + 5, Math.min(what.length(), what.indexOf(" for ") + 40)));
            return;
        }
        try {
            JsonObject problem = Api.object(body);
            if (problem.getInt("status") != status || !(problem.get("title") instanceof JsonString)
                    || !(problem.get("type") instanceof JsonString) || !(problem.get("detail") instanceof JsonString)) {
                failures.add("4xx JSON is not a problem document: " + what);
            }
        } catch (RuntimeException e) {
            failures.add("4xx JSON is not a problem document (" + e.getClass().getSimpleName() + "): " + what);
        }
    }

    private Void run(Chain chain, Map<String, Long> createdIds) {
        count(categories, "valid");
        Long id = null;
        for (Step step : chain.steps()) {
            String path = step.path().replace("{id}", String.valueOf(id));
            HttpRequest.Builder request = HttpRequest.newBuilder(api.base().resolve(path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", step.authorization())
                    .method(step.method(), step.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(step.body(), StandardCharsets.UTF_8));
            if (step.contentType() != null) {
                request.header("Content-Type", step.contentType());
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                // A 503 with Retry-After asks a client to send the same request again, later: a script would.
                for (int retry = 0; retry < 3 && response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent(); retry++) {
                    count(statuses, "503, retried");
                    Thread.sleep(Long.parseLong(response.headers().firstValue("Retry-After").get()) * 1000);
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                }
                count(statuses, String.valueOf(response.statusCode()));
                if (response.statusCode() != step.status()) {
                    failures.add("valid " + step.method() + " " + path + " " + FuzzCases.printable(String.valueOf(step.body()), 200)
                            + " got " + response.statusCode() + ", not " + step.status() + ": " + FuzzCases.printable(response.body(), 300));
                    return null;
                }
                if (id == null) {
                    id = Api.object(response.body()).getJsonNumber("id").longValue();
                    createdIds.put(chain.name(), id);
                }
            } catch (IOException | RuntimeException e) {
                failures.add("valid " + step.method() + " " + path + " failed: " + e);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private Void run(Frame frame) {
        count(categories, frame.category());
        int code;
        try {
            if (frame.raw()) {
                // From the current revision, as below: with a snapshot's parts still going out when Tomcat fails the
                // connection for invalid UTF-8, its close frame once reached the client garbled (code 31522 = '{"').
                code = raw.webSocketFrame("since=" + api.revision(), frame.opcode(), frame.bytes());
            } else {
                // From the current revision: the first message is small. The frames test what a client sends, and a
                // snapshot holding the fuzzer's odd-Unicode tasks once never reached the JDK client on TomEE (see note).
                long revision = api.revision();
                try (SocketClient socket = SocketClient.connect(api.base(), "since=" + revision)) {
                    socket.next();
                    if (frame.resumeFirst()) {
                        socket.send("{\"type\":\"resume\",\"since\":" + revision + "}");
                        socket.next();
                    }
                    try {
                        if (frame.opcode() == 2) {
                            socket.sendBinary(frame.bytes());
                        } else {
                            socket.send(frame.text());
                        }
                    } catch (RuntimeException e) {
                        // the server may close while a big frame is still going out: its close code is what counts
                    }
                    code = socket.awaitClose(SOCKET_PATIENCE);
                }
            }
        } catch (IOException | RuntimeException | AssertionError e) {
            if (oversized(frame) && !(e instanceof AssertionError)) {
                // Tomcat closes (1009) and drops the connection while a big frame is still arriving: the client
                // sees a broken pipe instead of the close frame. The server did refuse it, at once.
                count(closes, "dropped while sending");
                return null;
            }
            count(closes, "none");
            failures.add("socket got no close frame (" + e + ") after " + frame.describe());
            return null;
        }
        count(closes, String.valueOf(code));
        if ((code == 1006 || code == -1) && (oversized(frame) || frame.category().equals("ws-invalid-utf8"))) {
            // RFC 6455 8.1: invalid UTF-8 fails the connection, which may end it without a close frame (Tomcat).
            count(closes, "dropped while sending");
            return null;
        }
        if (!CLIENT_MISTAKE_CLOSES.contains(code)) {
            failures.add("socket closed with " + code + " after " + frame.describe());
        }
        return null;
    }

    /** Over the 4 KiB a client message may have: the server may drop the connection instead of reading it all. */
    private static boolean oversized(Frame frame) {
        int size = frame.bytes() != null ? frame.bytes().length
                : frame.text() == null ? 0 : frame.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return size > 4096;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the model

    private void checkModel(Map<String, JsonObject> before, Map<String, JsonObject> anchors, List<Chain> chains,
                            Map<String, Long> createdIds, Map<String, JsonObject> after) {
        Map<String, JsonObject> unexplained = new LinkedHashMap<>(after);
        anchors.forEach((name, task) -> {
            if (!task.equals(after.get(name))) {
                failures.add("task changed by malformed requests: " + task + " is now " + after.get(name));
            }
            unexplained.remove(name);
        });
        before.keySet().forEach(unexplained::remove);
        for (Chain chain : chains) {
            JsonObject task = unexplained.remove(chain.name());
            if (chain.end() == null) {
                if (task != null) {
                    failures.add("deleted task still there: " + task);
                }
                continue;
            }
            if (task == null) {
                failures.add("task of a valid create missing: " + FuzzCases.printable(chain.name(), 250));
                continue;
            }
            FuzzCases.Expected expected = chain.end();
            boolean same = Objects.equals(createdIds.get(chain.name()), task.getJsonNumber("id").longValue())
                    && Objects.equals(expected.description(), text(task, "description"))
                    && expected.status().equals(task.getString("status"))
                    && Objects.equals(expected.message(), text(task, "message"));
            if (!same) {
                failures.add("task is not as the valid requests left it: expected " + expected + ", found " + task);
            }
        }
        unexplained.values().forEach(task -> failures.add("task no valid request created: " + task));
    }

    private static String text(JsonObject task, String field) {
        return task.containsKey(field) ? task.getString(field) : null;
    }

    /** Every task, once each has its revision (so that later comparisons see settled rows). */
    private JsonArray published() {
        return api.await("every task published", api::tasks,
                tasks -> tasks.stream().allMatch(t -> t.asJsonObject().containsKey("revision")));
    }

    private static Map<String, JsonObject> byName(JsonArray tasks) {
        return tasks.stream().map(JsonValue::asJsonObject)
                .collect(Collectors.toMap(t -> t.getString("name"), Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }

    private Map<Long, String> histories(List<Anchor> anchors) {
        Map<Long, String> histories = new TreeMap<>();
        for (Anchor anchor : anchors) {
            histories.put(anchor.id(), api.send("GET", "api/tasks/" + anchor.id() + "/history", null, null).body());
        }
        return histories;
    }

    // ---------------------------------------------------------------------------------------------------------
    // reporting

    private void printSummary(long seed, Duration took, int requests, int frames, List<Chain> chains) {
        long validRequests = chains.stream().mapToLong(c -> c.steps().size()).sum();
        System.out.printf("FuzzIT seed %d: %d malformed requests, %d malformed frames, %d valid requests in %d chains, %d in flight, %.1f s%n",
                seed, requests, frames, validRequests, chains.size(), IN_FLIGHT, took.toMillis() / 1000.0);
        System.out.println("  cases by category: " + new TreeMap<>(categories));
        System.out.println("  HTTP status histogram: " + new TreeMap<>(statuses));
        System.out.println("  WebSocket close codes: " + new TreeMap<>(closes));
        System.out.println("  4xx answers that were not JSON (container pages): " + new TreeMap<>(nonJson4xx));
        System.out.println("  failures: " + failures.size());
        failures.first(ENOUGH_FAILURES * 2).forEach(f -> System.out.println("    " + f));
    }

    private static void count(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String header(String head, String name) {
        return head.lines().filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith(name + ":"))
                .map(line -> line.substring(name.length() + 1).strip()).findFirst().orElse("");
    }

    /** Failures from many threads, in arrival order. */
    private static final class Queue {
        private final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();

        void add(String failure) {
            items.add(failure);
        }

        boolean isEmpty() {
            return items.isEmpty();
        }

        int size() {
            return items.size();
        }

        List<String> first(int n) {
            return items.stream().limit(n).toList();
        }
    }
}
