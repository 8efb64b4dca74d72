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
 * the status, and for a 404 the path asked for: the container's message could carry an exception's text.
 */
@WebServlet("/problem")
public class ErrorPage extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer given && given >= 400 ? given : 404;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String asked && asked.startsWith(request.getContextPath())
                ? asked.substring(request.getContextPath().length()) : null;
        Problems.write(response, status, status == 404 && path != null ? NotFoundDetail.of(path) : null);
    }
}
