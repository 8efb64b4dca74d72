package io.taskpulse.access.control;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The access rules, free of any protocol: what a boundary asks before it lets a request through. */
public final class AccessRules {

    private AccessRules() {
    }

    /** Why a write is refused, or empty when it may go ahead. */
    public enum Refusal { NO_TOKEN, WRONG_TOKEN, NOT_LOCAL }

    public static Optional<Refusal> write(Optional<String> configuredToken, String authorization, String remoteAddress) {
        if (configuredToken.isPresent()) {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(Refusal.NO_TOKEN);
            }
            byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
            byte[] expected = configuredToken.get().getBytes(StandardCharsets.UTF_8);
            return MessageDigest.isEqual(given, expected) ? Optional.empty() : Optional.of(Refusal.WRONG_TOKEN);
        }
        return isLoopback(remoteAddress) ? Optional.empty() : Optional.of(Refusal.NOT_LOCAL);
    }

    private static final java.util.regex.Pattern OPERATOR_ACTION = java.util.regex.Pattern.compile(
            "/api/tasks/(?:(?:\\d+|by-name/[^/]+)/)?(?:acknowledge|pause|resume)");

    /**
     * Whether a write that {@link #write} refused may go ahead as an operator's: an acknowledge, pause or resume
     * ({@code POST}, or {@code DELETE} of an acknowledgement) by a logged-in user in the operators' role, sent by the
     * page itself. The login travels in a cookie, which a browser also sends with another site's form, so the
     * request must carry the page's own Origin (browsers send it with every POST and DELETE), not merely lack a
     * foreign one.
     */
    public static boolean operatorMay(Optional<String> operateRole, boolean inOperateRole, String method, String path,
            String origin, String host, String configuredOrigins) {
        return operateRole.isPresent() && inOperateRole
                && ("POST".equals(method) || "DELETE".equals(method))
                && OPERATOR_ACTION.matcher(path).matches()
                && origin != null && !origin.isBlank() && originAllowed(origin, host, configuredOrigins);
    }

    /**
     * A handshake without Origin (not a browser) passes; a browser's must be the page's own origin (same host and
     * port as the Host header) or one of the configured ones.
     */
    public static boolean originAllowed(String origin, String host, String configuredOrigins) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (allowedList(configuredOrigins).contains(normalized)) {
            return true;
        }
        try {
            URI uri = URI.create(normalized);
            if (uri.getHost() == null || host == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
            String hostHeader = host.strip().toLowerCase(Locale.ROOT);
            return hostHeader.equals(uri.getHost() + ":" + port)
                    || (hostHeader.equals(uri.getHost()) && (port == 80 || port == 443));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Set<String> allowedList(String configured) {
        if (configured == null || configured.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Why a read is refused when reading is restricted, or empty when it may go ahead. */
    public enum ReadRefusal {
        /** A browser's page: the container's login page takes over. */
        LOGIN,
        /** The API, the feed, the WebSocket handshake: 401 with a challenge, for programs. */
        CHALLENGE,
        /** Logged in, but not in the reading role: 403. */
        NOT_IN_ROLE
    }

    /** Paths anyone may fetch even when reading is restricted: the login pages with their look, the probe, logout, the
     * wrapper script (code, no data). */
    private static final List<String> OPEN_PREFIXES = List.of("/css/", "/img/");
    private static final Set<String> OPEN_PATHS = Set.of("/health", "/login.html", "/login-failed.html", "/logout", "/taskpulse-run");

    /**
     * When {@code role} is set, reading needs an authenticated user in it. Reads are GET and HEAD anywhere (the page,
     * /api/tasks, /api/feed, the /ws handshake); other methods on /api/tasks are writes and keep their own rule
     * (see {@link #write}); other methods elsewhere are treated as reads, so that nothing new slips through.
     *
     * @param path the request's path inside the application, starting with "/"
     */
    public static Optional<ReadRefusal> read(Optional<String> role, String method, String path,
            boolean authenticated, boolean inRole) {
        if (role.isEmpty() || isOpen(path) || isWrite(method, path)) {
            return Optional.empty();
        }
        if (!authenticated) {
            return Optional.of(forPrograms(path) ? ReadRefusal.CHALLENGE : ReadRefusal.LOGIN);
        }
        return inRole ? Optional.empty() : Optional.of(ReadRefusal.NOT_IN_ROLE);
    }

    /**
     * The API, the feed, the WebSocket and the badges are used by programs (and by the page's scripts, and by image
     * tags): they get 401, never a login page.
     */
    public static boolean forPrograms(String path) {
        return path.equals("/api") || path.startsWith("/api/") || path.startsWith("/ws/")
                || path.equals("/badge.svg") || path.startsWith("/badge/");
    }

    private static boolean isOpen(String path) {
        // The container answers the login form itself, wherever it is posted.
        return OPEN_PATHS.contains(path) || path.endsWith("/j_security_check")
                || OPEN_PREFIXES.stream().anyMatch(path::startsWith);
    }

    /**
     * Every method but GET and HEAD under /api is a write (tasks, bulk reports, channels, rules): it keeps the write
     * rule (the token) and needs no login, so a script with the token can write where reading needs a login.
     */
    private static boolean isWrite(String method, String path) {
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        return !read && path.startsWith("/api/") && !path.startsWith("/api/feed");
    }

    static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        try {
            // A literal address: no name lookup happens.
            return address.matches("[0-9a-fA-F:.\\[\\]%]+")
                    && InetAddress.getByName(address.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
