package io.taskpulse.access.control;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
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
