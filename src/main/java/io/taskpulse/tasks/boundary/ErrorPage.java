package io.taskpulse.tasks.boundary;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's error page (see web.xml): an error that never reached TaskPulse's own handlers, such as the 400
 * Jersey answers without a body for a malformed Accept header, goes out as a problem document too. It says only
 * the status: the container's message could carry an exception's text.
 */
@WebServlet("/problem")
public class ErrorPage extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer given && given >= 400 ? given : 404;
        Problems.write(response, status, null);
    }
}
