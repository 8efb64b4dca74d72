package io.taskpulse.access.boundary;

import io.taskpulse.access.control.AccessRules;
import io.taskpulse.access.control.AccessRules.ReadRefusal;
import io.taskpulse.configuration.Settings;
import io.taskpulse.page.boundary.SecurityHeaders;
import io.taskpulse.tasks.boundary.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Guards reading when {@code taskpulse.read.role} is set (see io.taskpulse.access); passes everything through when
 * it is not. A filter rather than a security-constraint in web.xml, because constraints are fixed in the WAR and this
 * must be switched on by configuration. Authentication itself is the container's: its FORM login for the page,
 * and, for programs, HTTP Basic credentials checked against the same realm with {@code request.login}.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class ReadAccess extends HttpFilter {

    static final String CHALLENGE = "Basic realm=\"TaskPulse\", charset=\"UTF-8\"";

    private static final Logger LOG = Logger.getLogger(ReadAccess.class.getName());

    @Inject
    Settings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<String> role = settings.readRole();
        if (role.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        String path = path(request);
        Optional<ReadRefusal> refusal = ask(request, role, path);
        if (refusal.isPresent() && request.getUserPrincipal() == null && hasBasicCredentials(request)) {
            if (!basicLogin(request)) {
                SecurityHeaders.apply(response);
                challenge(response, "wrong user name or password");
                return;
            }
            refusal = ask(request, role, path);
        }
        if (refusal.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        // The answers below may come before SecurityHeaders ran (the order of annotated filters is the server's),
        // and need its headers on a WebSocket handshake too, which SecurityHeaders leaves alone.
        SecurityHeaders.apply(response);
        switch (refusal.get()) {
            case LOGIN -> {
                // The container's login takes over (FORM: it keeps this request and shows login.html).
                if (request.authenticate(response)) {
                    if (ask(request, role, path).isEmpty()) {
                        chain.doFilter(request, response);
                    } else {
                        forbidden(request, response, role.get());
                    }
                }
            }
            case CHALLENGE -> challenge(response, "reading needs a login: log in on the page, or send HTTP Basic credentials");
            case NOT_IN_ROLE -> forbidden(request, response, role.get());
        }
    }

    private static Optional<ReadRefusal> ask(HttpServletRequest request, Optional<String> role, String path) {
        boolean authenticated = request.getUserPrincipal() != null;
        return AccessRules.read(role, request.getMethod(), path, authenticated,
                authenticated && request.isUserInRole(role.get()));
    }

    /** The path as the container mapped it: decoded and normalized, so "/css/../api/feed" is "/api/feed". */
    static String path(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }

    private static boolean hasBasicCredentials(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /** Checks Basic credentials against the container's realm; the login lasts for this request only. */
    private static boolean basicLogin(HttpServletRequest request) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(request.getHeader("Authorization").substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        try {
            request.login(decoded.substring(0, colon), decoded.substring(colon + 1));
            return true;
        } catch (ServletException e) {
            LOG.log(Level.FINE, "Basic login refused: {0}", e.toString());
            return false;
        }
    }

    private static void challenge(HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", CHALLENGE);
        Problems.write(response, 401, detail);
    }

    private static void forbidden(HttpServletRequest request, HttpServletResponse response, String role) throws IOException {
        Problems.write(response, 403, "user " + request.getUserPrincipal().getName() + " may not read: not in role " + role);
    }
}
