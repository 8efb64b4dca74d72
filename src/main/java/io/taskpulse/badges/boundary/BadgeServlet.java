package io.taskpulse.badges.boundary;

import io.taskpulse.badges.control.BadgeImage;
import io.taskpulse.badges.control.Rollup;
import io.taskpulse.changes.entity.Headline;
import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /badge/{name}.svg}, {@code /badge/tag/{tag}.svg}, {@code /badge.svg?name=…} or {@code ?tag=…}; optional
 * {@code label=} (the left text, default the name or tag) and {@code lang=zh} (Chinese words). A task or tag that
 * does not exist gets 404 with a grey "not found" badge (an image, so a README shows it rather than a broken
 * picture); before the feed has loaded, 503 with Retry-After. See the package description.
 */
@WebServlet(urlPatterns = {"/badge/*", "/badge.svg"})
public class BadgeServlet extends HttpServlet {

    private static final Set<String> PARAMETERS = Set.of("name", "tag", "label", "lang");

    @Inject
    TaskFeed feed;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            Problems.write(response, 405, "method not allowed here; allowed: GET, HEAD");
            return;
        }
        for (String parameter : request.getParameterMap().keySet()) {
            if (!PARAMETERS.contains(parameter)) {
                Problems.write(response, 400, "unknown query parameter '" + parameter + "'; allowed: name, tag, label, lang");
                return;
            }
        }
        Wanted wanted = wanted(request);
        if (wanted == null) {
            Problems.write(response, 404, "no badge here: use /badge/{name}.svg, /badge/tag/{tag}.svg or /badge.svg?name=…|tag=…");
            return;
        }
        String lang = request.getParameter("lang");
        if (lang != null && !lang.equals("zh") && !lang.equals("en")) {
            Problems.write(response, 400, "lang must be en or zh");
            return;
        }
        String label = request.getParameter("label");
        if (!feed.loaded()) {
            response.setHeader("Retry-After", "5");
            send(request, response, 503, BadgeImage.svg(label != null ? label : wanted.text(), "unavailable", "UNKNOWN"));
            return;
        }
        List<Headline> tasks = feed.headlines().stream()
                .filter(h -> wanted.tag() ? h.tags().contains(wanted.text()) : h.name().equals(wanted.text()))
                .toList();
        Rollup rollup = Rollup.of(tasks);
        String left = label != null ? label : wanted.text();
        if (rollup == null) {
            send(request, response, 404, BadgeImage.svg(left, BadgeImage.word("UNKNOWN", lang), "UNKNOWN"));
            return;
        }
        String value = BadgeImage.word(rollup.state(), lang)
                + (wanted.tag() ? " " + rollup.inState() + "/" + rollup.total() : "");
        send(request, response, 200, BadgeImage.svg(left, value, rollup.state()));
    }

    private record Wanted(String text, boolean tag) {
    }

    private static Wanted wanted(HttpServletRequest request) {
        String name = request.getParameter("name");
        String tag = request.getParameter("tag");
        if ("/badge.svg".equals(request.getServletPath())) {
            if ((name == null) == (tag == null) || (name != null ? name : tag).isBlank()) {
                return null;
            }
            return name != null ? new Wanted(name, false) : new Wanted(tag, true);
        }
        String path = request.getPathInfo();
        if (path == null || !path.endsWith(".svg") || path.length() <= ".svg".length() + 1 || name != null || tag != null) {
            return null;
        }
        String inner = path.substring(1, path.length() - ".svg".length());
        if (inner.startsWith("tag/") && inner.length() > "tag/".length()) {
            return new Wanted(inner.substring("tag/".length()), true);
        }
        return new Wanted(inner, false);
    }

    private static void send(HttpServletRequest request, HttpServletResponse response, int status, byte[] svg)
            throws IOException {
        String etag = "\"" + HexFormat.of().formatHex(sha256(svg), 0, 12) + "\"";
        response.setHeader("ETag", etag);
        response.setHeader("Cache-Control", "no-cache");
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (status == 200 && ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.strip().equals("*"))) {
            response.setStatus(304);
            return;
        }
        response.setStatus(status);
        response.setContentType("image/svg+xml;charset=utf-8");
        response.setContentLength(svg.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(svg);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
