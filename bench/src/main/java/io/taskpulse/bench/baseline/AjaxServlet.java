package io.taskpulse.bench.baseline;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Baseline (a), the tutorial's AJAX design: every request queries all tasks and answers the full list. */
@DataSourceDefinition(name = "java:app/jdbc/bench", className = "io.taskpulse.bench.baseline.BaselineDataSource",
        user = "postgres", initialPoolSize = 2, minPoolSize = 2, maxPoolSize = 32)
@WebServlet("/tasks")
public class AjaxServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(AjaxServlet.class.getName());

    @Inject
    AllTasks allTasks;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            byte[] body = allTasks.listJson().getBytes(StandardCharsets.UTF_8);
            response.setContentType("application/json");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "listing tasks failed: {0}", e.getMessage());
            response.sendError(503);
        }
    }
}
