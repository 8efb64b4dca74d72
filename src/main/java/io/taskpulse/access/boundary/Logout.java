package io.taskpulse.access.boundary;

import io.taskpulse.tasks.boundary.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;

/**
 * {@code POST /logout}: ends the login and its HTTP session, and so closes the WebSockets opened under it (see
 * {@link LoginSockets}); then 303 to the page, which asks for a login again. POST only: a link or a prefetch must not
 * log anyone out.
 */
@WebServlet("/logout")
public class Logout extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        // The session first: a logout may give it a new id first (Payara 6 does), and the sockets know the old one.
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        request.logout();
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/");
        response.setHeader("Cache-Control", "no-store");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "POST");
        Problems.write(response, 405, "log out with POST /logout");
    }
}
