package io.taskpulse.feed.boundary;

import io.taskpulse.changes.control.ChangePoller;
import io.taskpulse.feed.control.FeedMessages;
import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.metrics.control.Metrics;
import io.taskpulse.metrics.entity.Transport;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.OptionalLong;

/**
 * The feed for clients without WebSocket: {@code GET /api/feed[?since=R][&wait=S]}, the same messages and
 * cursor as {@code /ws/tasks}.
 * <ul>
 * <li>no {@code since} (and no {@code If-None-Match}): a snapshot;</li>
 * <li>{@code since=R}: the changes after R, a reset snapshot when R is too old or unknown, or
 * 304 Not Modified when nothing changed;</li>
 * <li>{@code wait=S} (1..60): when nothing changed yet, hold the request (asynchronously: no thread waits)
 * until a change arrives or S seconds pass, then answer as above, exactly once ({@link LongPolls}, {@link HeldPoll}).</li>
 * </ul>
 * The ETag is the revision. {@code If-None-Match} that lists the current revision's ETag ({@code "R"}, {@code W/"R"},
 * in a list, or {@code *}) means the client is current, whatever {@code since} says: 304, or with {@code wait}
 * held like any current client (RFC 9110, section 13.2.2: the precondition is evaluated before the rest of the
 * request). Otherwise {@code since} decides; without it, an If-None-Match naming one revision stands for
 * {@code since}. A malformed If-None-Match is ignored.
 * <p>
 * While the poller cannot read the database, a client that is current gets
 * {@code {"type":"stale","revision":R,"reason":"database unavailable"}} (200) instead of 304: at once without
 * {@code wait}, and with it when the poller fails again or the wait is up (a held request is not answered early
 * merely because the database is away, so a long-polling client does not spin). A client that is behind still
 * gets the changes the feed holds; before the feed ever loaded, 503 with Retry-After.
 */
@WebServlet(urlPatterns = "/api/feed", asyncSupported = true)
public class FeedServlet extends HttpServlet {

    static final int MAX_WAIT_SECONDS = 60;

    @Inject
    TaskFeed feed;

    @Inject
    Metrics metrics;

    @Inject
    ChangePoller poller;

    @Inject
    LongPolls longPolls;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (Problems.onlyReads(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        IfNoneMatch held = IfNoneMatch.parse(Collections.list(request.getHeaders("If-None-Match")));
        Long since;
        int waitSeconds;
        try {
            since = since(request, held);
            waitSeconds = waitSeconds(request);
        } catch (IllegalArgumentException e) {
            Problems.write(response, 400, e.getMessage());
            return;
        }
        TaskFeed.Reply reply = feed.poll(since);
        if (reply.ready() && reply.message() != null && held.matches(reply.revision())) {
            // the client holds the current revision, whatever its since says (RFC 9110: If-None-Match decides)
            since = reply.revision();
            reply = new TaskFeed.Reply(since, null);
        }
        if (!reply.ready()) {
            response.setHeader("Retry-After", "1");
            Problems.write(response, 503, poller.staleReason() != null
                    ? "the database is unavailable; the feed has not loaded yet"
                    : "the feed is starting; retry in a second");
            return;
        }
        if (reply.message() != null || waitSeconds == 0) {
            answer(response, reply.revision(), currentOrStale(reply.revision(), reply.message()));
            return;
        }
        holdUntilChange(request, since, waitSeconds);
    }

    private void holdUntilChange(HttpServletRequest request, long since, int waitSeconds) {
        longPolls.hold(request, since, waitSeconds, this::answer, revision -> currentOrStale(revision, null));
    }

    /** "Nothing new" is only true while the poller reads the database; otherwise the client is told it is stale. */
    private String currentOrStale(long revision, String message) {
        String stale = poller.staleReason();
        return message == null && stale != null ? FeedMessages.stale(revision, stale).text() : message;
    }

    private void answer(HttpServletResponse response, long revision, String message) throws IOException {
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", "\"" + revision + "\"");
        if (message == null) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] body = message.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        metrics.sent(Transport.LONGPOLL, body.length);
    }

    /** {@code since}, else the one revision that If-None-Match names, else null (a snapshot). */
    private static Long since(HttpServletRequest request, IfNoneMatch held) {
        String since = request.getParameter("since");
        if (since != null && !since.isBlank()) {
            return Revisions.parse("since", since);
        }
        OptionalLong only = held.only();
        return only.isPresent() ? only.getAsLong() : null;
    }

    private static int waitSeconds(HttpServletRequest request) {
        String wait = request.getParameter("wait");
        if (wait == null || wait.isBlank()) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(wait.strip());
            if (seconds >= 0 && seconds <= MAX_WAIT_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // same answer as out of range
        }
        throw new IllegalArgumentException("wait must be a whole number of seconds from 0 to " + MAX_WAIT_SECONDS);
    }
}
