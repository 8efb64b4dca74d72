package io.taskpulse.it;

import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Test-only: plays "another program" that writes the task table with plain SQL, bypassing TaskPulse (so the
 * poller is not woken), optionally holding its transaction open before committing, as a slow script would.
 * {@code POST /it/sql?name=N&status=S[&message=M][&holdMillis=H]}; {@code POST /it/sql?name=N&tags=T} writes the tags
 * column as given instead.
 */
@WebServlet("/it/sql")
public class DirectSqlServlet extends HttpServlet {

    @Resource(lookup = "java:app/jdbc/taskpulse")
    DataSource dataSource;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long holdMillis = Long.parseLong(request.getParameter("holdMillis") == null ? "0" : request.getParameter("holdMillis"));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            int updated;
            if (request.getParameter("tags") != null) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE task SET tags = ? WHERE name = ?")) {
                    update.setString(1, request.getParameter("tags"));
                    update.setString(2, request.getParameter("name"));
                    updated = update.executeUpdate();
                }
            } else {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE task SET status = ?, status_message = ? WHERE name = ?")) {
                    update.setString(1, request.getParameter("status"));
                    update.setString(2, request.getParameter("message"));
                    update.setString(3, request.getParameter("name"));
                    updated = update.executeUpdate();
                }
            }
            if (holdMillis > 0) {
                // The workload itself: a script that keeps its transaction open, committing late.
                Thread.sleep(holdMillis);
            }
            connection.commit();
            response.setStatus(updated == 1 ? 204 : 404);
        } catch (SQLException e) {
            response.sendError(500, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.sendError(500, "interrupted");
        }
    }
}
