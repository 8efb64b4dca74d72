package io.taskpulse.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fuzzer's input, the same for the same seed: malformed requests, malformed WebSocket frames, and valid
 * request chains whose outcome is known in advance (the model of what the database must hold afterwards).
 * <p>
 * A malformed write is built so that it is wrong for sure: a valid body without the token or with a wrong
 * Content-Type, or a body that breaks a documented rule. It never names a task it could change by accident
 * (writes that could succeed aim at "ghost" names and ids that do not exist). Generated text comes from fixed
 * pools and a small alphabet, so a server that echoes it can never look like it leaked a stack trace.
 */
final class FuzzCases {

    /** What a malformed case may get back. */
    enum Expect {
        /** a write that must fail: 4xx (or, for broken framing, a closed connection) */
        REJECTED,
        /** anything but a server error */
        READ
    }

    /** One request. {@code raw} bytes, when present, go over a plain socket as they are. */
    record Case(String category, Expect expect, String method, String path, List<Map.Entry<String, String>> headers,
                byte[] body, byte[] raw, boolean halfClose) {

        String describe() {
            if (raw != null) {
                return category + " raw " + printable(new String(raw, StandardCharsets.ISO_8859_1), 300);
            }
            return category + " " + method + " " + path + " " + headers + " "
                    + (body == null ? "" : printable(new String(body, StandardCharsets.UTF_8), 300));
        }
    }

    /** One malformed frame on a fresh socket, optionally after a valid resume. opcode 1 text, 2 binary; raw = sent as bytes. */
    record Frame(String category, boolean resumeFirst, int opcode, String text, byte[] bytes, boolean raw) {

        String describe() {
            return category + (opcode == 2 ? " binary " + bytes.length + " bytes"
                    : raw ? " raw " + printable(new String(bytes, StandardCharsets.ISO_8859_1), 200) : " " + printable(text, 200));
        }
    }

    /** A valid request of a chain; "{id}" in the path is the id the chain's create returned. */
    record Step(String method, String path, String contentType, String authorization, String body, int status) {
    }

    /** What a task of a valid chain must look like at the end. */
    record Expected(String description, String status, String message) {
    }

    /** Valid requests on one task, in order: create, reports, maybe a delete ({@code end} null then). */
    record Chain(String name, List<Step> steps, Expected end) {
    }

    /** A task that exists during the whole run and that malformed writes aim at. */
    record Anchor(long id, String name) {
    }

    static final String TOKEN_HEADER = "Authorization";

    private static final String JSON = "application/json";

    /** Valid, odd names: every one of them must come back exactly as sent. */
    static final List<String> ODD_VALID = List.of("\u200F\u05E9\u05DC\u05D5\u05DD", "\uD83D\uDE80", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
            "e\u0301", "\u4EFB\u52A1", "\u0645\u0631\u062D\u0628\u0627", "\uD835\uDD18\uD835\uDD2B\uD835\uDD26", "a\u2028b",
            "zero\u200Bwidth", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}", "{{7*7}}", "50%", "a?b",
            "a#b", "a+b", "a;b", "a&b=c", "\uFFFD", "\u00DF\u0130", "tab-less", "deploy/web", "C:\\temp");

    private final Random random;
    private final String tag;
    private final String token;
    private final List<Anchor> anchors;
    /** The application's path on the server, e.g. "/taskpulse/": raw requests carry it themselves. */
    private final String root;
    private int serial;

    FuzzCases(long seed, String tag, String token, List<Anchor> anchors, String root) {
        this.root = root;
        this.random = new Random(seed);
        this.tag = tag;
        this.token = token;
        this.anchors = anchors;
    }

    // ---------------------------------------------------------------------------------------------------------
    // valid chains

    List<Chain> chains(int count) {
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "fuzz-" + tag + "-v" + i + (i % 2 == 0 ? "-" + pick(ODD_VALID) + "-end" : "");
            if (i % 37 == 0) {
                name = (name + "x".repeat(200)).substring(0, 200);
            }
            chains.add(chain(name));
        }
        return chains;
    }

    private Chain chain(String name) {
        List<Step> steps = new ArrayList<>();
        String description = pick(List.of("", "plain", "  ", "multi\nline\ttabbed", "\uD83D\uDE80 rocket", "d".repeat(2000),
                "\u202Ereversed", "\u0007bell"));
        String descriptionField = random.nextInt(5) == 0 ? "" : random.nextBoolean()
                ? ",\"description\":null" : ",\"description\":" + Json.string(description, random.nextBoolean());
        String storedDescription = descriptionField.isEmpty() || descriptionField.endsWith("null") || description.isBlank()
                ? null : description;
        steps.add(new Step("POST", "api/tasks", pick(List.of(JSON, "application/json; charset=UTF-8", "application/json;charset=utf-8")),
                bearer(), "{\"name\":" + Json.string(name, random.nextBoolean()) + descriptionField + "}", 201));
        String status = "NOT_RUN";
        String message = null;
        int reports = random.nextInt(4);
        for (int r = 0; r < reports; r++) {
            String wanted = pick(List.of("FAILED", "SUCCEEDED", "NOT_RUN", "failed", " Succeeded ", "not_run"));
            String text = pick(List.of("", "exit 3", "  ", "line1\nline2", "\u4EFB\u52A1\u5931\u8D25", "m".repeat(2000),
                    "\uD83D\uDD25", "quote \" and backslash \\"));
            boolean withMessage = random.nextInt(4) != 0;
            String body = "{\"status\":" + Json.string(wanted, false)
                    + (withMessage ? ",\"message\":" + Json.string(text, random.nextBoolean()) : "") + "}";
            steps.add(new Step("PUT", byName(name, "/status", random.nextInt(3)), JSON, bearer(), body, 200));
            status = wanted.strip().toUpperCase(java.util.Locale.ROOT);
            message = withMessage && !text.isBlank() ? text : null;
        }
        if (random.nextInt(4) == 0) {
            steps.add(new Step("DELETE", byName(name, "", random.nextInt(3)), null, bearer(), null, 204));
            return new Chain(name, steps, null);
        }
        return new Chain(name, steps, new Expected(storedDescription, status, message));
    }

    /** A task's address in one of three ways: by id, by name in the path, by name in the query. */
    private static String byName(String name, String suffix, int way) {
        boolean pathSafe = !name.contains("/") && !name.contains("\\") && !name.contains("%");
        if (way == 0) {
            return "api/tasks/{id}" + suffix;
        }
        if (way == 1 && pathSafe) {
            return "api/tasks/by-name/" + Api.encode(name) + suffix;
        }
        return "api/tasks/by-name?name=" + Api.encode(name);
    }

    private String bearer() {
        return pick(List.of("Bearer " + token, "Bearer " + token, "bearer " + token, "Bearer  " + token + " "));
    }

    // ---------------------------------------------------------------------------------------------------------
    // malformed requests

    private static final List<Map.Entry<String, Integer>> WEIGHTS = List.of(
            Map.entry("broken-json", 14), Map.entry("wrong-types", 10), Map.entry("nulls", 4), Map.entry("huge-numbers", 5),
            Map.entry("huge-strings", 3), Map.entry("deep-nesting", 3), Map.entry("odd-unicode", 9),
            Map.entry("duplicate-keys", 3), Map.entry("unknown-fields", 4), Map.entry("not-an-object", 3),
            Map.entry("content-type", 7), Map.entry("token", 8), Map.entry("methods", 8), Map.entry("paths-ids", 9),
            Map.entry("queries", 6), Map.entry("headers", 5), Map.entry("raw-bytes", 4));

    List<Case> requests(int count) {
        int total = WEIGHTS.stream().mapToInt(Map.Entry::getValue).sum();
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int roll = random.nextInt(total);
            String category = null;
            for (Map.Entry<String, Integer> weight : WEIGHTS) {
                roll -= weight.getValue();
                if (roll < 0) {
                    category = weight.getKey();
                    break;
                }
            }
            cases.add(request(category));
        }
        return cases;
    }

    private Case request(String category) {
        boolean create = random.nextBoolean();
        return switch (category) {
            case "broken-json" -> write(category, create, brokenJson(create));
            case "wrong-types" -> write(category, create, wrongType(create));
            case "nulls" -> write(category, create, create
                    ? pick(List.of("{\"name\":null}", "{\"name\":null,\"description\":\"d\"}", "null", "{\"description\":null}",
                    "{\"name\":null,\"description\":null}"))
                    : pick(List.of("{\"status\":null}", "{\"status\":null,\"message\":\"m\"}", "{\"message\":null}", "{}", "null")));
            case "huge-numbers" -> write(category, create, hugeNumber(create));
            case "huge-strings" -> write(category, create, hugeString(create));
            case "deep-nesting" -> write(category, create, deep(create));
            case "odd-unicode" -> write(category, create, oddUnicode(create));
            case "duplicate-keys" -> write(category, create, create
                    ? pick(List.of("{\"name\":\"" + ghost() + "\",\"name\":\"" + ghost() + "\"}",
                    "{\"name\":null,\"name\":\"" + ghost() + "\"}",
                    "{\"name\":\"" + ghost() + "\",\"description\":\"a\",\"description\":\"b\"}"))
                    : pick(List.of("{\"status\":\"FAILED\",\"status\":\"SUCCEEDED\"}", "{\"status\":null,\"status\":\"FAILED\"}",
                    "{\"status\":\"FAILED\",\"message\":\"a\",\"message\":\"b\"}")));
            case "unknown-fields" -> write(category, create, create
                    ? "{\"name\":\"" + ghost() + "\"," + pick(List.of("\"id\":5", "\"status\":\"FAILED\"", "\"\":1", "\"__proto__\":{}",
                    "\"revision\":1", "\"Name\":\"x\"", "\"name \":\"x\"", "\"na\\u0000me\":\"x\"", "\"\\ud800\":\"x\"")) + "}"
                    : pick(List.of("{\"status\":\"FAILED\",\"name\":\"x\"}", "{\"Status\":\"FAILED\"}", "{\"status\":\"FAILED\",\"id\":1}",
                    "{\"status\":\"FAILED\",\"changedAt\":\"2020-01-01T00:00:00Z\"}", "{\"st\\u0000atus\":\"FAILED\"}")));
            case "not-an-object" -> write(category, create, pick(List.of("[]", "[{\"name\":\"" + ghost() + "\"}]",
                    "\"" + ghost() + "\"", "42", "true", "false", "\"\"", "[[]]", "   ", "\n", "\t \r\n", "-0", "1e400")));
            case "content-type" -> contentType(create);
            case "token" -> token();
            case "methods" -> method();
            case "paths-ids" -> oddPath();
            case "queries" -> oddQuery();
            case "headers" -> oddHeaders(create);
            case "raw-bytes" -> rawBytes();
            default -> throw new IllegalStateException(category);
        };
    }

    /** A malformed body sent where it is read: a create, or a report to an existing task. */
    private Case write(String category, boolean create, String body) {
        return write(category, create, body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private Case write(String category, boolean create, byte[] body, String contentType) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(TOKEN_HEADER, "Bearer " + token));
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        return create
                ? new Case(category, Expect.REJECTED, "POST", "api/tasks", headers, body, null, false)
                : new Case(category, Expect.REJECTED, "PUT", reportPath(), headers, body, null, false);
    }

    private String reportPath() {
        Anchor anchor = pick(anchors);
        return switch (random.nextInt(3)) {
            case 0 -> "api/tasks/" + anchor.id() + "/status";
            case 1 -> "api/tasks/by-name/" + Api.encode(anchor.name()) + "/status";
            default -> "api/tasks/by-name?name=" + Api.encode(anchor.name());
        };
    }

    private String validBody(boolean create) {
        return create ? "{\"name\":\"" + ghost() + "\",\"description\":\"d\"}" : "{\"status\":\"FAILED\",\"message\":\"m\"}";
    }

    private String brokenJson(boolean create) {
        String valid = validBody(create);
        if (random.nextInt(3) == 0) {
            return valid.substring(0, random.nextInt(valid.length() - 1));
        }
        if (random.nextInt(5) == 0) {
            return randomText(1 + random.nextInt(80), "{}[]\":,0123456789abcdeflnrstu \\/-+.E");
        }
        String n = create ? "\"name\"" : "\"status\"";
        String v = create ? "\"" + ghost() + "\"" : "\"FAILED\"";
        return pick(List.of("{" + n + ":" + v + ",}", "{" + n + ":" + v, "{" + n + ":" + v + "}}", "{" + n + ":" + v + "} x",
                "{" + n + ":" + v + "}{" + n + ":" + v + "}", "{" + n.replace("\"", "") + ":" + v + "}",
                "{" + n.replace('"', '\'') + ":" + v.replace('"', '\'') + "}", "{" + n + ":" + v + " \"message\":\"m\"}",
                "{" + n + ":" + v + ",,\"description\":\"d\"}", "{" + n + ":\"x\\\"}", "{" + n + ":\"x\\q\"}",
                "{" + n + ":\"\\u12\"}", "{" + n + ":\"\\uZZZZ\"}", "{" + n + ":" + v + "/*c*/}", "// c\n{" + n + ":" + v + "}",
                "{" + n + ":NaN}", "{" + n + ":Infinity}", "{" + n + ":-Infinity}", "{" + n + ":.5}", "{" + n + ":tru}", "{" + n + ":nul}",
                "{" + n + ":" + v + "]", "[" + n + "," + v + "}", "{" + n + v + "}", "{" + n + ":}", "{:" + v + "}",
                "\u0000{" + n + ":" + v + "}", "{" + n + ":" + v + "}\u0000", "{" + n + ":\"line\nbreak\"}", "{" + n + ":\"tab\there\"}",
                "{" + n + ":" + v + "\\", "{", "}", "}{", "{{}}", "{" + n + ":" + v + "}garbage", "{" + n + ":01}",
                "{" + n + ":0x10}", "{" + n + ":+1}", "{" + n + ":1.}", "{" + n + ":\"\u0001\"}", "\uFEFF{" + n + ":" + v + "}"));
    }

    private String wrongType(boolean create) {
        String value = pick(List.of("42", "-1", "0.5", "true", "false", "[]", "[\"x\"]", "{}", "{\"a\":1}", "1e400",
                "[\"" + ghost() + "\"]", "{\"name\":\"" + ghost() + "\"}"));
        if (create) {
            return random.nextBoolean() ? "{\"name\":" + value + "}" : "{\"name\":\"" + ghost() + "\",\"description\":" + value + "}";
        }
        return random.nextBoolean() ? "{\"status\":" + value + "}" : "{\"status\":\"FAILED\",\"message\":" + value + "}";
    }

    private String hugeNumber(boolean create) {
        String value = pick(List.of("1e400", "-1e400", "-0", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                "1e-400", "123456789012345678901234567890.123", "0.0000000000000000000001", "1E+2147483648", "1e999999999",
                "-1e-999999999", "9".repeat(5000), "0." + "0".repeat(5000) + "1", "1" + "0".repeat(60000)));
        if (random.nextInt(6) == 0) {
            return value;
        }
        return create ? "{\"name\":" + value + "}" : random.nextBoolean() ? "{\"status\":" + value + "}"
                : "{\"status\":\"FAILED\",\"message\":" + value + "}";
    }

    private String hugeString(boolean create) {
        int limit = 64 * 1024;
        String filler = pick(List.of("x", "\uD83D\uDE80", "\u4EFB", "\\u0041", "\\\""));
        return switch (random.nextInt(5)) {
            // over the field limits, under the body limit
            case 0 -> create ? "{\"name\":\"" + filler.repeat(201 + random.nextInt(2000)) + "\"}"
                    : "{\"status\":\"FAILED\",\"message\":\"" + filler.repeat(2001 + random.nextInt(3000)) + "\"}";
            case 1 -> create ? "{\"name\":\"" + ghost() + "\",\"description\":\"" + filler.repeat(2001 + random.nextInt(5000)) + "\"}"
                    : "{\"status\":\"" + filler.repeat(5000) + "\"}";
            // a few bytes under, at and over the body limit
            default -> {
                String head = create ? "{\"name\":\"" + ghost() + "\",\"description\":\"" : "{\"status\":\"FAILED\",\"message\":\"";
                int size = limit - 3 + random.nextInt(7);
                if (random.nextInt(4) == 0) {
                    size = limit * (2 + random.nextInt(8));
                }
                int fill = Math.max(0, size - head.length() - 2);
                yield head + "y".repeat(fill) + "\"}";
            }
        };
    }

    private String deep(boolean create) {
        int depth = pick(List.of(10, 100, 1000, 5000, 20000, 32000));
        String nested = random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        return switch (random.nextInt(4)) {
            case 0 -> nested;
            case 1 -> "[".repeat(Math.min(depth, 60000));
            case 2 -> create ? "{\"name\":\"" + ghost() + "\",\"description\":" + nested + "}" : "{\"status\":" + nested + "}";
            default -> create ? "{\"name\":" + nested + "}" : "{\"status\":\"FAILED\",\"message\":" + nested + "}";
        };
    }

    /** Text a task may not hold: control characters in a name, NUL anywhere, unpaired surrogates anywhere. */
    private String oddUnicode(boolean create) {
        String bad = pick(List.of("\\u0000", "\\ud800", "\\udc00", "\\udc00\\ud800", "\\ud83d", "x\\ud800y", "\\ud800\\u0041"));
        String badName = pick(List.of("\\u0007", "\\u001b[31m", "\\u0085", "\\u007f", "\\u0001", "\\n", "\\t", "\\r", bad));
        String odd = pick(ODD_VALID).replace("\\", "");
        // the odd part in the middle: strip() would quietly remove a control character at either end
        return create
                ? random.nextBoolean() ? "{\"name\":\"" + ghost() + badName + odd + "x\"}"
                : "{\"name\":\"" + ghost() + "\",\"description\":\"" + odd + bad + "\"}"
                : "{\"status\":\"FAILED\",\"message\":\"" + odd + bad + "\"}";
    }

    private Case contentType(boolean create) {
        String body = validBody(create);
        String type = pick(List.of("", "text/plain", "application/xml", "text/json", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json-seq", "application/problem+json", "application/merge-patch+json",
                "application/octet-stream", "application/javascript", "text/html", "image/png", "json", "application", "/", "@@@", ";",
                "application/jsonx", "application/json/extra", "text/plain; charset=utf-8", "application/x-json"));
        Case c = write("content-type", create, body.getBytes(StandardCharsets.UTF_8), type.isEmpty() ? null : type);
        return c;
    }

    private Case token() {
        String auth = pick(List.of("", "Bearer", "Bearer ", "Bearer wrong", "Bearer " + token + "X", "Bearer " + token.substring(1),
                "Basic aXQ6d3JpdGU=", "Token " + token, token, "Bearer " + "x".repeat(5000), "Bearer\t" + token,
                "Bearer " + token + ",", "Bearer " + token + " " + token, "Bearer" + token, "Bearer \"" + token + "\""));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (!auth.isEmpty()) {
            headers.add(Map.entry(TOKEN_HEADER, auth));
        }
        Anchor anchor = pick(anchors);
        int what = random.nextInt(3);
        if (what == 2) {
            String path = pick(List.of("api/tasks/" + anchor.id(), "api/tasks/by-name/" + Api.encode(anchor.name()),
                    "api/tasks/by-name?name=" + Api.encode(anchor.name())));
            return new Case("token", Expect.REJECTED, "DELETE", path, headers, null, null, false);
        }
        headers.add(Map.entry("Content-Type", JSON));
        boolean create = what == 0;
        return new Case("token", Expect.REJECTED, create ? "POST" : "PUT", create ? "api/tasks" : reportPath(), headers,
                validBody(create).getBytes(StandardCharsets.UTF_8), null, false);
    }

    private Case method() {
        Anchor anchor = pick(anchors);
        String path = pick(List.of("api/tasks", "api/tasks/" + anchor.id(), "api/tasks/" + anchor.id() + "/status",
                "api/tasks/" + anchor.id() + "/history", "api/tasks/by-name/" + Api.encode(anchor.name()),
                "api/tasks/by-name/" + Api.encode(anchor.name()) + "/status", "api/tasks/by-name?name=" + Api.encode(anchor.name()),
                "api/feed", "health"));
        String method = pick(List.of("PATCH", "PATCH", "FOO", "PROPFIND", "MKCOL", "LOCK", "POST", "PUT", "DELETE", "HEAD", "OPTIONS",
                "TRACE", "GET"));
        boolean allowedWrite = switch (method) {
            case "POST" -> path.equals("api/tasks");
            case "PUT" -> path.endsWith("/status") || path.contains("by-name?");
            case "DELETE" -> path.equals("api/tasks/" + anchor.id()) || path.contains("by-name") && !path.endsWith("/status");
            case "PATCH" -> path.equals("api/tasks/" + anchor.id())
                    || path.contains("by-name") && !path.endsWith("/status") && !path.endsWith("/history");
            default -> false;
        };
        if (allowedWrite) {
            method = "PROPFIND";
        }
        boolean read = List.of("GET", "HEAD", "OPTIONS", "TRACE").contains(method);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(TOKEN_HEADER, "Bearer " + token));
        headers.add(Map.entry("Content-Type", JSON));
        byte[] body = read && !method.equals("OPTIONS") ? null
                : (path.contains("status") ? validBody(false) : validBody(true)).getBytes(StandardCharsets.UTF_8);
        return new Case("methods", read ? Expect.READ : Expect.REJECTED, method, path, headers, body, null, false);
    }

    /** Ids and names that exist nowhere, in every odd spelling, with reads and writes. */
    private Case oddPath() {
        Anchor anchor = pick(anchors);
        String id = pick(List.of("-1", "0", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "-0", "1.0",
                "1e3", "0x10", "%D9%A1%D9%A2", "%EF%BC%91", "%00", "7%00", "..", ".", "%2e%2e", "%2F", "%5C", "null", "NaN", "[]",
                "%7B%7D", "9".repeat(5000), "%ff", "%zz", "%", "%%", "%c0%af", "%e2%80%ae"));
        String ghost = pick(List.of(Api.encode(ghost()), "%00", "%ff%fe", "%c0%af", "%e2%80%ae", "..%2f..", "%2e", "a%2fb", "%5c",
                "%25", "%zz", "+", "%20", "%0a", "%0d%0a", "%F0%9F%9A%80" + Api.encode(ghost()), "x".repeat(3000)));
        String path = pick(List.of("api/tasks/" + id, "api/tasks/" + id + "/status", "api/tasks/" + id + "/history",
                "api/tasks/by-name/" + ghost, "api/tasks/by-name/" + ghost + "/status", "api/tasks/by-name?name=" + ghost,
                "api/tasks/by-name?name=" + ghost + "&name=" + Api.encode(ghost()), "api/tasks/by-name?nam=" + ghost,
                "api/tasks/by-name?name=", "api/tasks/by-name?name", "api/tasks/by-name/", "api/tasks/", "api//tasks",
                "api/tasks;x=1", "api/tasks/by-name/" + ghost + "/status/extra", "api/tasks/" + "a".repeat(8000), "api/../health",
                "api/tasks/%2e%2e/%2e%2e/health", "WEB-INF/web.xml", "WEB-INF/classes/io/taskpulse/configuration/Settings.class",
                "META-INF/MANIFEST.MF", "api", "api/", "health/", "health;x", "api/feed/", "api/feed/x", "index.html%00", "%00",
                "api/tasks/" + anchor.id() + "/history/x", "ws/tasks", "ws/tasks/x", "it/../api/tasks"));
        String method = pick(List.of("GET", "GET", "PUT", "DELETE", "POST"));
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry(TOKEN_HEADER, "Bearer " + token));
        byte[] body = null;
        if (!method.equals("GET") && !method.equals("DELETE")) {
            headers.add(Map.entry("Content-Type", JSON));
            body = validBody(method.equals("POST")).getBytes(StandardCharsets.UTF_8);
        }
        // A write through a dot segment or an extra slash could land on a real route with a valid body: only reads there.
        if (path.matches(".*(^|/)(\\.|%2e){1,2}(/|$|\\?).*") || path.startsWith("api/tasks;") || path.equals("api/tasks/")
                || path.equals("api//tasks")) {
            method = "GET";
            body = null;
        }
        // Payara cannot decode an escape like %zz and answers 200 with no body before any application code runs
        // (it logs AS-WEB-CORE-00037): no write happens, which the model check proves, but the status says nothing.
        boolean undecodable = path.matches(".*%([^0-9a-fA-F].?|.[^0-9a-fA-F]|$).*");
        return new Case("paths-ids", method.equals("GET") || undecodable ? Expect.READ : Expect.REJECTED, method, path, headers,
                body, null, false);
    }

    private Case oddQuery() {
        Anchor anchor = pick(anchors);
        String odd = pick(List.of("", "-1", "0", "%00", "%ff", "%zz", "1e3", "2147483648", "9223372036854775808", "abc", "%20%201%20",
                "1%00", "null", "[]", "%E2%80%AE", "1&since=2", "x".repeat(6000), "-0", "0x10", "%D9%A1", "1.5", "+1"));
        String wait = pick(List.of("0", "1", "-1", "61", "3600", "2147483648", "abc", "", "1e1", "%00", "1.5"));
        String path = switch (random.nextInt(5)) {
            case 0 -> "api/tasks?status=" + pick(List.of(odd, "FAILED%00", "ＦＡＩＬＥＤ", "DONE", "failed,succeeded", "%20", "NOT%20RUN"));
            case 1 -> "api/tasks/" + anchor.id() + "/history?limit=" + pick(List.of(odd, "500", "501", "1", "50&limit=0"));
            case 2 -> "api/tasks/by-name?name=" + odd;
            default -> "api/feed?since=" + pick(List.of(odd, "18446744073709551616", "9223372036854775807", "0"))
                    + (random.nextBoolean() ? "&wait=" + wait : "");
        };
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (path.startsWith("api/feed") && random.nextInt(3) == 0) {
            headers.add(Map.entry("If-None-Match", pick(List.of("\"-1\"", "\"99999999999999999999\"", "W/\"1\"", "*", "\"\"", "junk",
                    "\"1\", \"2\"", "\"9223372036854775807\""))));
        }
        return new Case("queries", Expect.READ, "GET", path, headers, null, null, false);
    }

    private Case oddHeaders(boolean create) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            headers.add(pick(List.of(Map.entry("Accept", "application/xml"), Map.entry("Accept", "text/html"), Map.entry("Accept", "@@"),
                    Map.entry("Accept", "application/json;q=abc"), Map.entry("Accept", "application/json;q=0"),
                    Map.entry("Accept-Language", "zz-ZZ;q=2"), Map.entry("Accept-Encoding", "gzip, br, junk"),
                    Map.entry("Accept-Charset", "utf-7"), Map.entry("Range", "bytes=junk"), Map.entry("If-Modified-Since", "yesterday"),
                    Map.entry("Cookie", "JSESSIONID=" + "x".repeat(100)), Map.entry("X-Forwarded-For", "10.0.0.1, ::1"),
                    Map.entry("Origin", "http://evil.example"), Map.entry("Referer", "javascript:alert(1)"),
                    Map.entry("User-Agent", "u".repeat(8000)), Map.entry("X-Huge", "h".repeat(60_000)),
                    Map.entry("Content-Encoding", "gzip"), Map.entry("X-HTTP-Method-Override", "DELETE"),
                    Map.entry("Forwarded", "for=\"[::1]\";proto=https"), Map.entry("If-None-Match", "\"" + "9".repeat(100) + "\""))));
        }
        if (random.nextBoolean()) {
            Anchor anchor = pick(anchors);
            String path = pick(List.of("api/tasks", "api/tasks/" + anchor.id(), "api/tasks/by-name?name=" + Api.encode(anchor.name()),
                    "api/tasks/" + anchor.id() + "/history", "api/feed?since=0", "health"));
            return new Case("headers", Expect.READ, "GET", path, headers, null, null, false);
        }
        // Writes only with a body that is wrong anyway, so that no header can make them succeed.
        headers.add(Map.entry(TOKEN_HEADER, "Bearer " + token));
        headers.add(Map.entry("Content-Type", JSON));
        String body = create ? "{\"name\":42}" : "{\"status\":\"DONE\"}";
        return new Case("headers", Expect.REJECTED, create ? "POST" : "PUT", create ? "api/tasks" : reportPath(), headers,
                body.getBytes(StandardCharsets.UTF_8), null, false);
    }

    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[]{(byte) 0xff}, new byte[]{(byte) 0xfe, (byte) 0xff},
            new byte[]{(byte) 0xc0, (byte) 0xaf}, new byte[]{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[]{(byte) 0xe4, (byte) 0xbd},
            new byte[]{(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[]{(byte) 0x80},
            new byte[]{(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[]{(byte) 0xc3});

    private Case rawBytes() {
        String host = "Host: localhost\r\n";
        String auth = TOKEN_HEADER + ": Bearer " + token + "\r\n";
        boolean create = random.nextBoolean();
        String target = root + (create ? "api/tasks" : reportPath());
        String method = create ? "POST" : "PUT";
        switch (random.nextInt(6)) {
            case 0, 1 -> {
                // invalid UTF-8 in a string value of a body that is otherwise valid
                byte[] bad = pick(INVALID_UTF8);
                String[] around = create
                        ? random.nextBoolean() ? new String[]{"{\"name\":\"" + ghost(), "\"}"}
                        : new String[]{"{\"name\":\"" + ghost() + "\",\"description\":\"d", "\"}"}
                        : new String[]{"{\"status\":\"FAILED\",\"message\":\"m", "\"}"};
                byte[] body = concat(around[0].getBytes(StandardCharsets.UTF_8), bad, around[1].getBytes(StandardCharsets.UTF_8));
                return raw("raw-bytes", Expect.REJECTED, concat((method + " " + target + " HTTP/1.1\r\n" + host + auth
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1), body), false);
            }
            case 2 -> {
                // Content-Length that lies, or framing that contradicts itself; the body is wrong anyway
                String body = create ? "{\"name\":7}" : "{\"status\":\"DONE\"}";
                String framing = pick(List.of("Content-Length: " + (body.length() + 10) + "\r\n", "Content-Length: abc\r\n",
                        "Content-Length: -1\r\n", "Content-Length: 99999999999999999999\r\n", "Content-Length: 1e3\r\n",
                        "Content-Length: 3\r\nContent-Length: 5\r\n", "Content-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n",
                        "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: chunked, identity\r\n", "Content-Length:  " + body.length() + " \r\n"));
                String payload = framing.contains("chunked") ? pick(List.of(Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n",
                        "zz\r\n" + body + "\r\n0\r\n\r\n", "ffffffff\r\n" + body, Integer.toHexString(body.length()) + ";junk=\"\r\n" + body + "\r\n0\r\n\r\n",
                        "5\r\n" + body)) : body;
                return raw("raw-bytes", Expect.REJECTED, (method + " " + target + " HTTP/1.1\r\n" + host + auth
                        + "Content-Type: application/json\r\n" + framing + "Connection: close\r\n\r\n" + payload)
                        .getBytes(StandardCharsets.ISO_8859_1), true);
            }
            case 3 -> {
                // a body shorter than announced, then end of stream
                String body = validBody(create);
                return raw("raw-bytes", Expect.REJECTED, (method + " " + target + " HTTP/1.1\r\n" + host + auth
                        + "Content-Type: application/json\r\nContent-Length: " + (body.length() + 1 + random.nextInt(100))
                        + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8), true);
            }
            default -> {
                // a request line or header block that is not HTTP
                byte[] bad = pick(INVALID_UTF8);
                byte[] request = pick(List.of(bytes("GARBAGE\r\n\r\n"), bytes("GET " + root + "api/tasks HTTP/9.9\r\n" + host + "Connection: close\r\n\r\n"),
                        bytes("GET " + root + "api/tasks\r\n\r\n"), new byte[]{0, 1, 2, 3, '\r', '\n', '\r', '\n'},
                        bytes("GET " + root + "api/tasks HTTP/1.1\r\n" + host + "Bad Header\r\nConnection: close\r\n\r\n"),
                        concat(bytes("GET " + root + "api/tasks HTTP/1.1\r\n" + host + "X-Odd: "), bad, bytes("\r\nConnection: close\r\n\r\n")),
                        concat(bytes("GET " + root + "api/tasks/by-name/"), bad, bytes(" HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")),
                        concat(bytes("GET " + root + "api/tasks/by-name?name="), bad, bytes(" HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n")),
                        bytes("GET " + root + "api/tasks HTTP/1.1\r\nConnection: close\r\n\r\n"),
                        bytes("GET " + root + "a".repeat(70_000) + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"),
                        bytes("GET " + root + "api/tasks HTTP/1.1\r\n" + host + "X-A: a\r\n b\r\nConnection: close\r\n\r\n"),
                        bytes("CONNECT localhost:22 HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"),
                        bytes("get " + root + "api/tasks HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"),
                        bytes("GET http://evil.example" + root + "api/tasks HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"),
                        bytes("GET " + root + "api/tasks HTTP/1.1\r\nHost: evil.example\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
                        bytes("GET " + root + "api/tasks HTTP/1.1\r\n" + host + "Content-Length: 5\r\nConnection: close\r\n\r\nhello"),
                        bytes("GET " + root + "api/tasks HTTP/1.1\n" + host.replace("\r", "") + "Connection: close\n\n"),
                        bytes("GET " + root + "api/tasks HTTP/1.0\r\n\r\n"),
                        bytes("GET " + root + "api/tasks HTTP/1.1\r\n" + host + "X-Many: 1\r\n".repeat(500) + "Connection: close\r\n\r\n")));
                // half-closed: a server that waits for the rest of a request it cannot parse sees the end instead
                return raw("raw-bytes", Expect.READ, request, true);
            }
        }
    }

    private static Case raw(String category, Expect expect, byte[] request, boolean halfClose) {
        return new Case(category, expect, null, null, List.of(), null, request, halfClose);
    }

    // ---------------------------------------------------------------------------------------------------------
    // malformed WebSocket frames

    List<Frame> frames(int count) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean resumeFirst = random.nextInt(4) == 0;
            frames.add(switch (random.nextInt(10)) {
                case 0, 1 -> new Frame("ws-broken-json", resumeFirst, 1, pick(List.of("hello", "{", "}", "{\"type\":\"resume\"",
                        "{\"type\":\"resume\",\"since\":}", "{'type':'resume','since':0}", "{\"type\":\"resume\",\"since\":0}}",
                        "{\"type\":\"resume\",\"since\":0} x", "", " ", "null", "[1]", "\"resume\"", "42",
                        randomText(1 + random.nextInt(60), "{}[]\":,0123456789aeimnorstuy \\"))), null, false);
                case 2 -> new Frame("ws-unknown-type", resumeFirst, 1, pick(List.of("{\"type\":\"subscribe\"}", "{\"type\":\"RESUME\",\"since\":0}",
                        "{\"type\":\"resume \",\"since\":0}", "{\"type\":null,\"since\":0}", "{\"type\":1,\"since\":0}", "{\"since\":0}",
                        "{\"type\":[\"resume\"],\"since\":0}", "{\"type\":\"snapshot\"}", "{\"type\":\"\"}", "{}")), null, false);
                case 3, 4 -> new Frame("ws-wrong-since", resumeFirst, 1, "{\"type\":\"resume\",\"since\":" + pick(List.of("-1", "1.5", "\"5\"",
                        "null", "true", "[]", "{}", "\"\"", "1e400", "-1e400", "9223372036854775808", "18446744073709551616",
                        "18446744073709551617", "-9223372036854775809", "1e2", "0.0", "1E+2147483648", "1e-400", "-0.5",
                        "\"\\u0000\"", "0x10", "NaN")) + "}", null, false);
                case 5 -> new Frame("ws-too-big", resumeFirst, 1, random.nextBoolean()
                        ? "{\"type\":\"resume\",\"since\":0,\"pad\":\"" + "p".repeat(4096 + random.nextInt(70_000)) + "\"}"
                        : "x".repeat(4097 + random.nextInt(100_000)), null, false);
                case 6 -> new Frame("ws-odd-unicode", resumeFirst, 1, pick(List.of("{\"type\":\"resume\u0000\",\"since\":0}",
                        "{\"type\":\"r\u00E9sum\u00E9\",\"since\":0}", "\u202E{\"type\":\"resume\",\"since\":0}", "\uD83D\uDE80",
                        "{\"type\":\"\\ud800\",\"since\":0}", "{\"type\":\"resume\",\"since\":\"\u0661\"}", "\uFEFF{\"type\":\"resume\",\"since\":0}")),
                        null, false);
                case 7 -> new Frame("ws-binary", resumeFirst, 2, null, randomBytes(random.nextInt(3) == 0 ? 5000 : 1 + random.nextInt(100)), false);
                case 8 -> new Frame("ws-invalid-utf8", resumeFirst, 1, null, concat(bytes("{\"type\":\"resume\",\"since\":\""),
                        pick(INVALID_UTF8), bytes("\"}")), true);
                default -> new Frame("ws-duplicate-keys", resumeFirst, 1, pick(List.of("{\"type\":\"resume\",\"since\":-1,\"since\":0}",
                        "{\"type\":\"x\",\"type\":\"resume\",\"since\":0}", "{\"type\":\"resume\",\"since\":0,\"since\":\"x\"}")), null, false);
            });
        }
        return frames;
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A name no task has: a write aimed at it must not create or change anything. */
    private String ghost() {
        return "fuzz-" + tag + "-g" + (serial++);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private String randomText(int length, String alphabet) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > max ? out + "…(" + text.length() + " chars)" : out.toString();
    }

    /** JSON strings written by hand, so that unpaired surrogates can travel as \\u escapes. */
    static final class Json {

        private Json() {
        }

        static String string(String text, boolean asciiOnly) {
            StringBuilder json = new StringBuilder("\"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                        || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20 || (asciiOnly && c > 0x7e) || (Character.isSurrogate(c) && !paired)) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            return json.append('"').toString();
        }
    }
}
