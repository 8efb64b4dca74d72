package io.taskpulse.it;

import io.taskpulse.feed.control.TaskFeed;
import io.taskpulse.changes.entity.ChangeBatch;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Test-only: puts the in-memory feed out of step with the database, as a bug would, by handing it a batch the
 * database never had: an empty "changes" message that moves every client, and the feed, {@code ahead} revisions
 * past the poller's cursor. {@code POST /it/feed-fault?ahead=N} answers the revision the feed was moved to.
 */
@WebServlet("/it/feed-fault")
public class FeedFaultServlet extends HttpServlet {

    @Inject
    TaskFeed feed;

    @Inject
    Event<ChangeBatch> batches;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long ahead = Long.parseLong(request.getParameter("ahead") == null ? "1000" : request.getParameter("ahead"));
        long revision = feed.poll(null).revision();
        try {
            batches.fire(ChangeBatch.delta(revision, revision + ahead, 0, List.of()));
        } catch (TaskFeed.OutOfStep raced) {
            // The poller handed over a batch in between: nothing happened; the caller tries again.
            response.sendError(409, raced.getMessage());
            return;
        }
        response.setContentType("text/plain");
        response.getWriter().print(revision + ahead);
    }
}
