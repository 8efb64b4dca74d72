package io.taskpulse.access.boundary;

import io.taskpulse.tasks.boundary.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /login}: the page's "sign in" link, for operators when reading is open (when it is restricted, the page
 * itself asks for a login). Not logged in: the container's login form takes over and, once the user has logged in,
 * brings them back here; logged in: 303 to the page.
 */
@WebServlet("/login")
public class Login extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (request.getUserPrincipal() == null && !request.authenticate(response)) {
            return; // the login form is the answer
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/");
        response.setHeader("Cache-Control", "no-store");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "GET");
        Problems.write(response, 405, "log in with GET /login (the form posts to j_security_check)");
    }
}
