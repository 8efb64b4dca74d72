package io.taskpulse.bench.baseline;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code POST /floor?stamp=bench:0:123}: one broadcast; answers how many sessions it was sent to. */
@WebServlet("/floor")
public class FloorServlet extends HttpServlet {

    @Inject
    Floor floor;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String stamp = request.getParameter("stamp");
        if (stamp == null || !stamp.matches("[a-z0-9:]{1,64}")) {
            response.sendError(400);
            return;
        }
        int sent = floor.broadcast(stamp);
        response.setContentType("text/plain");
        response.getWriter().print(sent);
    }
}
